#!/usr/bin/env python3
"""Scores filmsearch-index on the development pages (../shared/pages), split in two parts.

A page is held out when sha1(slug) mod 3 == 0 (about a third), else it is a development page.
Per-field accuracy is printed for each part; per-page detail only for the development part,
so that working against the development part never shows the held-out pages.

usage: score_split.py BIN [--pages DIR] [--detail] [--json OUT]
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

FIELDS = ["type", "title", "year", "directors", "genres", "author", "date", "must_have",
          "furniture", "spoiler", "no_spoiler"]


def part_of(slug):
    return "held-out" if int(hashlib.sha1(slug.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def table(name, pages):
    print("\n%s: %d pages, overall %.3f" % (name, len(pages),
                                             sum(p["score"] for p in pages) / max(1, len(pages))))
    print("| field | pages checked | accuracy |")
    print("|---|---:|---:|")
    for f in FIELDS:
        vals = [p["checks"][f] for p in pages if f in p["checks"]]
        if vals:
            print("| %s | %d | %.3f |" % (f, len(vals), sum(vals) / len(vals)))


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    binary = argv[0]
    pages_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/pages")
    detail = "--detail" in argv
    out_json = None
    if "--pages" in argv:
        pages_dir = argv[argv.index("--pages") + 1]
    if "--json" in argv:
        out_json = argv[argv.index("--json") + 1]
    score = os.path.join(pages_dir, "score.py")
    if not os.path.exists(score):
        print("score_split: %s not found; nothing to score" % score)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        result = os.path.join(tmp, "score.json")
        subprocess.run([sys.executable, score, binary, "--json", result],
                       stdout=subprocess.DEVNULL, check=False)
        with open(result, encoding="utf-8") as f:
            pages = json.load(f)["pages"]
    dev = [p for p in pages if part_of(p["slug"]) == "dev"]
    held = [p for p in pages if part_of(p["slug"]) == "held-out"]
    table("dev", dev)
    table("held-out", held)
    if detail:
        print("\ndev pages, worst first:")
        for p in sorted(dev, key=lambda p: p["score"]):
            failed = {k: round(v, 2) for k, v in p["checks"].items() if v < 1}
            print("  %.2f %-40s %s" % (p["score"], p["slug"], failed))
            for k in ("type", "title", "year"):
                if k in failed and k in p["notes"]:
                    print("        got %s: %r" % (k, p["notes"][k]))
    if out_json:
        with open(out_json, "w", encoding="utf-8") as f:
            json.dump([p for p in dev], f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
