#!/usr/bin/env python3
"""Draws the demo sample in corpus/ from ../shared/corpus (the CC BY-SA and CC0 sources only).

Deterministic: run it again and the same files come out. Not needed to build or test; kept so
the sample can be redrawn or grown. Usage: scripts/sample_corpus.py ../shared/corpus corpus
"""
import csv, io, json, lzma, random, sys, tarfile
from collections import defaultdict

src, out = sys.argv[1], sys.argv[2]
rng = random.Random(1948)

# Films: Wikipedia text only (lead extracts and full plots, CC BY-SA). Quotes come from a source
# without a licence, so they are dropped; IMDb reviews likewise.
films = []
with lzma.open(f"{src}/filmbench/films.jsonl.xz", "rt") as f:
    for line in f:
        r = json.loads(line)
        secs = [s for s in r.get("sections", []) if s.get("kind") in ("synopsis", "plot")]
        if not secs or not r.get("year") or not r.get("genres"):
            continue
        r["sections"] = secs
        films.append(r)
by_decade = defaultdict(list)
for r in films:
    by_decade[r["year"] // 10 * 10].append(r)
chosen = {r["id"]: r for r in films if r["id"] == "tt0040725"}  # The Red Shoes, with its plot
for decade in sorted(by_decade):
    pool = by_decade[decade]
    with_plot = [r for r in pool if any(s["kind"] == "plot" for s in r["sections"])]
    for r in rng.sample(with_plot, min(8, len(with_plot))) + rng.sample(pool, min(14, len(pool))):
        chosen.setdefault(r["id"], r)
with open(f"{out}/films.jsonl", "w") as f:
    for r in sorted(chosen.values(), key=lambda r: r["id"]):
        f.write(json.dumps(r, ensure_ascii=False) + "\n")

# Chinese films from Douban (CC0 per its Kaggle metadata).
with lzma.open(f"{src}/filmbench/douban.jsonl.xz", "rt") as f:
    douban = [json.loads(l) for l in f]
with open(f"{out}/douban.jsonl", "w") as f:
    for r in rng.sample(douban, 40):
        f.write(json.dumps(r, ensure_ascii=False) + "\n")

# British films as a spreadsheet export (CSV, Wikipedia plots, CC BY-SA), to show CSV input.
with lzma.open(f"{src}/raw/wikipedia-movie-plots-british/british_movie_plots.csv.xz", "rt") as f:
    rows = list(csv.DictReader(f))
rows = [r for r in rng.sample(rows, 60) if r["title"] != "The Red Shoes"][:40]
with open(f"{out}/british_plots.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "title", "year", "director", "cast", "genre", "plot"])
    for r in rows:
        slug = r["url"].rsplit("/", 1)[-1]
        w.writerow(["wiki:" + slug, r["title"], r["year"], r["director"], r["cast"], r["genre"],
                    r["plot"]])

# Korean films and their reviews from NSMC (CC0): the 50 synopses have no Naver id, so they are
# films of their own; reviews come from a few Naver films and are grouped by their film id.
with lzma.open(f"{src}/raw/nsmc/synopses.json.xz", "rt") as f:
    syn = json.load(f)
with open(f"{out}/nsmc.jsonl", "w") as f:
    for i, s in enumerate(syn[:20]):
        title, _, year = s["title_en"].rpartition(",")
        rec = {"id": f"nsmc-synopsis:{i}", "type": "film", "title": s["title_kr"], "lang": "ko",
               "sections": [{"kind": "synopsis", "text": s["synopsis"]}], "source": "NSMC"}
        if year.strip().isdigit():
            rec["year"] = int(year)
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with tarfile.open(f"{src}/raw/nsmc/nsmc_raw.tar.xz") as tar:
        names = sorted(m for m in tar.getnames() if m.endswith(".json"))
        for name in rng.sample(names, 6):
            reviews = json.load(tar.extractfile(name))
            for rv in reviews[:15]:
                f.write(json.dumps({
                    "id": f"nsmc:{rv['review_id']}", "type": "review", "lang": "ko",
                    "film_id": f"naver:{rv['movie_id']}", "text": rv["review"],
                    "rating": int(rv["rating"]), "source": "Naver movies (NSMC)"},
                    ensure_ascii=False) + "\n")
print(len(chosen), "films")
