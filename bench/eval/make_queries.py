#!/usr/bin/env python3
"""Write the two query sets of the search benchmarks (deterministic; standard library only).

1. dev-<N>.jsonl: the first N (default 300) known-item questions of filmbench's
   eval/dev-queries.jsonl, unchanged ({"qid", "query", "target"}).
2. short-<M>.jsonl: M (default 1,000) short search-box queries drawn with a fixed seed from
   filmbench's film records: a few title words, a cast or director name, or two or three plot
   words from a synopsis; about one in five carries a genre or a year-range filter taken from
   the same film, so a filtered query still has answers. Each line:
   {"qid", "query", "kind", "source", "filters"?, "targets"?} where "source" is the film the
   query was drawn from (not a relevance target: a name or two plot words fit many films).
   An unfiltered title query that is a whole title (same words, any case) has "targets": every
   film of that title, any of which is the right first answer.

  make_queries.py [--corpus DIR] [--out-dir DIR] [--dev 300] [--short 1000] [--seed 1948]
"""
import argparse
import json
import lzma
import os
import random
import re

DEFAULT_CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "..", "..", "shared", "corpus", "filmbench")

# Words too common to be what someone types as a plot cue.
STOP = set("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours out over
own same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your film films movie directed stars starring written released american
british based story""".split())

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)  # letters only: plot cues
TITLE_WORD = re.compile(r"\w+(?:'\w+)?", re.UNICODE)          # titles keep numbers ("Apollo 13")


def films(corpus):
    """Film records of films.jsonl.xz, in file order."""
    with lzma.open(os.path.join(corpus, "films.jsonl.xz"), "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("type", "film") == "film" and rec.get("title"):
                yield rec


def title_query(rng, film):
    words = TITLE_WORD.findall(film["title"])
    if not words:
        return None
    if len(words) <= 3:
        return " ".join(words)
    n = rng.choice([2, 3])
    start = rng.randrange(0, len(words) - n + 1)
    return " ".join(words[start:start + n])


def name_query(rng, film):
    names = (film.get("directors") or []) + (film.get("cast") or [])[:5]
    names = [n for n in names if isinstance(n, str) and n.strip()]
    return rng.choice(names).strip() if names else None


def plot_query(rng, film):
    text = " ".join(s.get("text", "") for s in film.get("sections") or []
                    if s.get("kind") in ("synopsis", "plot"))
    title_words = {w.lower() for w in WORD.findall(film["title"])}
    words = sorted({w.lower() for w in WORD.findall(text)
                    if len(w) >= 4 and w.lower() not in STOP and w.lower() not in title_words})
    if len(words) < 3:
        return None
    return " ".join(rng.sample(words, rng.choice([2, 3])))


def add_filter(rng, film, q):
    """About one query in five gets a filter the source film satisfies."""
    roll = rng.random()
    if roll < 0.12 and film.get("genres"):
        q["filters"] = {"genre": rng.choice(film["genres"])}
    elif roll < 0.20 and isinstance(film.get("year"), int):
        decade = film["year"] // 10 * 10
        q["filters"] = {"year_min": decade, "year_max": decade + 9}


def title_words(title):
    return tuple(w.lower() for w in TITLE_WORD.findall(title))


def short_queries(corpus, count, seed):
    rng = random.Random(seed)
    pool = list(films(corpus))
    by_title = {}
    for film in pool:
        by_title.setdefault(title_words(film["title"]), []).append(film["id"])
    makers = [("title", title_query, 0.35), ("name", name_query, 0.25), ("plot", plot_query, 0.40)]
    out = []
    seen = set()
    while len(out) < count:
        film = rng.choice(pool)
        roll = rng.random()
        for kind, make, share in makers:
            if roll < share:
                break
            roll -= share
        text = make(rng, film)
        if not text or text.lower() in seen:
            continue
        seen.add(text.lower())
        q = {"qid": f"short-{len(out) + 1:04d}", "query": text, "kind": kind, "source": film["id"]}
        add_filter(rng, film, q)
        words = title_words(text)
        if kind == "title" and "filters" not in q and words == title_words(film["title"]):
            q["targets"] = sorted(by_title[words])
        out.append(q)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="filmbench folder")
    ap.add_argument("--out-dir", default=".", help="where to write the two files")
    ap.add_argument("--dev", type=int, default=300, help="dev questions to keep (default 300)")
    ap.add_argument("--short", type=int, default=1000, help="short queries (default 1000)")
    ap.add_argument("--seed", type=int, default=1948, help="random seed (default 1948)")
    args = ap.parse_args()

    os.makedirs(args.out_dir, exist_ok=True)
    dev_path = os.path.join(args.out_dir, f"dev-{args.dev}.jsonl")
    with open(os.path.join(args.corpus, "eval", "dev-queries.jsonl"), encoding="utf-8") as f, \
            open(dev_path, "w", encoding="utf-8") as out:
        kept = 0
        for line in f:
            if kept == args.dev:
                break
            if line.strip():
                out.write(line if line.endswith("\n") else line + "\n")
                kept += 1
    short_path = os.path.join(args.out_dir, f"short-{args.short}.jsonl")
    with open(short_path, "w", encoding="utf-8") as out:
        for q in short_queries(args.corpus, args.short, args.seed):
            out.write(json.dumps(q, ensure_ascii=False) + "\n")
    print(dev_path)
    print(short_path)


if __name__ == "__main__":
    main()
