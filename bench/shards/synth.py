#!/usr/bin/env python3
"""Synthesise a large corpus from filmbench, deterministically, as JSON Lines on stdout.

The output repeats filmbench's structure in rounds: round 0 is filmbench itself (films, reviews,
articles); every later round holds one new record per real record, with a new id
("s<round>:<id>"), the template's metadata (year, genres, rating, cast, source), a title whose
last word comes from another film, and text resampled sentence by sentence from the real texts of
the same kind (synopsis sentences from synopses, review sentences from reviews, quotes from
quotes). A review keeps pointing at its film: its film_id is renamed the same way, so films, their
reviews and their shards keep filmbench's shape. Word frequencies therefore stay those of the real
corpus; the vocabulary does not grow with the size, which a real corpus's would.

The same --seed gives the same records on every run (Python's Mersenne Twister with an integer
seed is stable across versions), and record k is the same whatever --start and --records: each
round draws from its own generator, so a big corpus can be written (and indexed) in pieces.

Usage: synth.py --records 10000000 [--start 0] [--corpus DIR] [--seed 15]
         | filmsearch-index --index DIR --shards 8 -
"""
import argparse
import json
import lzma
import os
import random
import re
import sys

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])")


def sentences(text):
    return [s for s in SENTENCE_END.split(" ".join(text.split())) if s]


def load(path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, required=True, help="records to write, real ones included")
    ap.add_argument("--start", type=int, default=0, help="first record to write (0: the first)")
    ap.add_argument("--corpus", default=os.path.join(here, "../../../shared/corpus/filmbench"))
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()

    films = load(os.path.join(args.corpus, "films.jsonl.xz"))
    reviews = load(os.path.join(args.corpus, "reviews.jsonl.xz"))
    articles = load(os.path.join(args.corpus, "articles.jsonl.xz"))
    real = films + reviews + articles

    # Pools of text units per kind: film section kinds, review text, article sections.
    pools = {}
    for film in films:
        for s in film.get("sections", []):
            units = [s["text"]] if s["kind"] == "quote" else sentences(s["text"])
            pools.setdefault("film/" + s["kind"], []).extend(units)
    pools["review"] = [u for r in reviews for u in sentences(r["text"])]
    for a in articles:
        for s in a.get("sections", []):
            pools.setdefault("article/" + s["kind"], []).extend(sentences(s["text"]))
    last_words = [f["title"].split()[-1] for f in films if f.get("title", "").split()]

    order = list(range(len(real)))
    random.Random(args.seed).shuffle(order)  # one fixed interleaving of films, reviews, articles
    out = sys.stdout
    end = args.start + args.records
    round_no, at = divmod(args.start, len(real))
    k = args.start
    while k < end:
        rng = random.Random(args.seed * 1000003 + round_no)
        for pos, i in enumerate(order):
            if k >= end:
                break
            rec = real[i]
            if round_no > 0:
                rec = resample(rec, round_no, rng, pools, last_words)
            if pos >= at:  # before `at`: drawn only to advance the generator
                out.write(json.dumps(rec, ensure_ascii=False))
                out.write("\n")
                k += 1
        round_no, at = round_no + 1, 0
    out.flush()


_counts = {}


def resample_text(text, pool, rng):
    n = _counts.get(text)  # the templates repeat every round: split each once
    if n is None:
        n = _counts[text] = max(1, len(sentences(text)))
    return " ".join(rng.choice(pool) for _ in range(n))


def resample(rec, round_no, rng, pools, last_words):
    prefix = "s%d:" % round_no
    new = dict(rec)
    new["id"] = prefix + rec["id"]
    if rec.get("film_id"):
        new["film_id"] = prefix + rec["film_id"]
    kind = rec["type"]
    if kind == "review":
        new["text"] = resample_text(rec["text"], pools["review"], rng)
        return new
    if kind == "film" and rec.get("title", "").split():
        words = rec["title"].split()
        words[-1] = rng.choice(last_words)
        new["title"] = " ".join(words)
    sections = []
    for s in rec.get("sections", []):
        pool = pools[("film/" if kind == "film" else "article/") + s["kind"]]
        if s["kind"] == "quote":
            text = rng.choice(pool)
        else:
            text = resample_text(s["text"], pool, rng)
        sections.append(dict(s, text=text))
    new["sections"] = sections
    return new


if __name__ == "__main__":
    main()
