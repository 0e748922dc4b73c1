#!/usr/bin/env python3
"""Misspelt titles and names from filmbench, for typo tolerance (issue 12, item 6).

From the films that have a title and people, split by a hash of the id into a development half
(used to tune) and a report half (never looked at while tuning), writes, per half and kind:
  typos-HALF.jsonl   {"qid", "query", "targets"}: a title or a person's name with one word
                     misspelt (one edit for words of 5-8 letters, two for 9+; deletion,
                     insertion, substitution or transposition, seeded)
  exact-HALF.jsonl   the same queries spelt correctly (same qids)
Targets are the films of that title (title queries) or that person (name queries), so S@10 asks
whether one of them is in the first 10 hits. Standard library only.

  make_typos.py --films ../shared/corpus/filmbench/films.jsonl.xz --out DIR [--n 300]
"""
import argparse
import hashlib
import json
import lzma
import os
import random
import re

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def half_of(film_id):
    return "dev" if hashlib.sha1(film_id.encode()).digest()[0] % 2 == 0 else "report"


def misspell(word, rng):
    """One edit for 5-8 letters, two for 9+; never the same word back."""
    edits = 2 if len(word) >= 9 else 1
    out = word
    for _ in range(edits):
        i = rng.randrange(1, len(out))  # keep the first letter, as most typos do
        kind = rng.choice(["delete", "insert", "substitute", "transpose"])
        if kind == "delete":
            out = out[:i] + out[i + 1:]
        elif kind == "insert":
            out = out[:i] + rng.choice(LETTERS) + out[i:]
        elif kind == "substitute":
            out = out[:i] + rng.choice([c for c in LETTERS if c != out[i]]) + out[i + 1:]
        elif i + 1 < len(out):
            out = out[:i] + out[i + 1] + out[i] + out[i + 2:]
        else:
            out = out[:i] + out[i + 1:]
    return out if out != word else word[:-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--films", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=300, help="queries per half and kind")
    args = ap.parse_args()
    by_title, by_person, films = {}, {}, []
    with lzma.open(args.films, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if not r.get("id", "").startswith("tt") or not r.get("title"):
                continue
            people = (r.get("directors") or []) + (r.get("cast") or [])[:3]
            by_title.setdefault(r["title"].lower(), []).append(r["id"])
            for p in people:
                by_person.setdefault(p, []).append(r["id"])
            films.append((r["id"], r["title"], people))
    rng = random.Random(20261207)
    os.makedirs(args.out, exist_ok=True)
    for half in ("dev", "report"):
        mine = [f for f in films if half_of(f[0]) == half]
        rng.shuffle(mine)
        queries = []
        for kind in ("title", "name"):
            count = 0
            for film_id, title, people in mine:
                if count >= args.n:
                    break
                if kind == "title":
                    text, targets = title, by_title[title.lower()]
                else:
                    if not people:
                        continue
                    text = people[0]
                    targets = by_person[text]
                words = re.findall(r"[A-Za-z]+", text)
                long_words = [w for w in words if len(w) >= 5]
                if not long_words:
                    continue
                word = rng.choice(long_words)
                typo = misspell(word.lower(), rng)
                query = text.replace(word, typo, 1)
                qid = f"{kind}-{film_id}"
                queries.append(({"qid": qid, "query": query, "targets": targets},
                                {"qid": qid, "query": text, "targets": targets}))
                count += 1
        for name, pick in (("typos", 0), ("exact", 1)):
            with open(os.path.join(args.out, f"{name}-{half}.jsonl"), "w", encoding="utf-8") as f:
                for q in queries:
                    f.write(json.dumps(q[pick], ensure_ascii=False) + "\n")
        print(f"{half}: {len(queries)} queries")


if __name__ == "__main__":
    main()
