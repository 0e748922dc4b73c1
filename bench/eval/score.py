#!/usr/bin/env python3
"""Score a ranked results file against known-item targets; summarise latency.

Reads a queries JSON Lines file ({"qid", "query", "target"?, "targets"?}) and a results JSON
Lines file, one line per query: {"qid", "hits": ["id", ...]} as the peers write it, or
filmsearch-query's shape {"qid", "hits": [{"id": ...}, ...], "took_ms"}. Prints MRR@10,
Success@1, Success@10 and n over the queries that have a target, or several equally right ones
("targets": the films sharing a title; the first of them found counts) (a query without a
results line counts as a miss), and latency
p50/p95 from each line's took_ms, or the mean per query from --wall-seconds when the results
carry no took_ms. Standard library only.

  score.py --queries dev-300.jsonl --results fts5-dev.jsonl [--label FTS5] [--json]
"""
import argparse
import json
import math
import sys


def read_jsonl(path):
    """Yields (line number, object) for each non-blank line; reports and skips bad lines."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{n}: skipped: {e}", file=sys.stderr)
                continue
            if isinstance(obj, dict):
                yield n, obj
            else:
                print(f"{path}:{n}: skipped: not a JSON object", file=sys.stderr)


def hit_id(hit):
    """A hit is an id string, or an object carrying the id under "id" (or "film_id")."""
    if isinstance(hit, dict):
        return str(hit.get("id", hit.get("film_id", "")))
    return str(hit)


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def score(queries, results, k=10):
    """Returns {"n", "mrr", "success", "success1"} over the queries with targets (a set of ids
    each, None for none), cut at rank k."""
    rr_sum = 0.0
    found = 0
    first = 0
    n = 0
    for qid, targets in queries.items():
        if not targets:
            continue
        n += 1
        hits = results.get(qid, [])[:k]
        rank = next((i + 1 for i, h in enumerate(hits) if h in targets), None)
        if rank:
            rr_sum += 1.0 / rank
            found += 1
            first += rank == 1
    return {"n": n, "mrr": rr_sum / n if n else 0.0, "success": found / n if n else 0.0,
            "success1": first / n if n else 0.0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", required=True, help="queries JSONL (qid, query, target?)")
    ap.add_argument("--results", required=True, help="results JSONL (qid, hits, took_ms?)")
    ap.add_argument("--k", type=int, default=10, help="rank cut-off (default 10)")
    ap.add_argument("--wall-seconds", type=float, default=None,
                    help="total wall time of the run, used when results carry no took_ms")
    ap.add_argument("--label", default="", help="system name printed in front of the line")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args()

    queries = {}
    for n, q in read_jsonl(args.queries):
        qid = str(q.get("qid", n))
        if q.get("targets"):
            queries[qid] = {str(t) for t in q["targets"]}
        else:
            queries[qid] = {str(q["target"])} if q.get("target") else None
    results = {}
    took = []
    for n, r in read_jsonl(args.results):
        qid = str(r.get("qid", n))
        results[qid] = [hit_id(h) for h in r.get("hits", [])]
        if isinstance(r.get("took_ms"), (int, float)):
            took.append(float(r["took_ms"]))

    summary = score(queries, results, args.k)
    summary["queries"] = len(queries)
    summary["answered"] = sum(1 for qid in queries if qid in results)
    if took:
        summary["p50_ms"] = percentile(took, 50)
        summary["p95_ms"] = percentile(took, 95)
        summary["latency_from"] = "took_ms"
    elif args.wall_seconds is not None and results:
        summary["mean_ms"] = args.wall_seconds * 1000 / len(results)
        summary["latency_from"] = "wall"
    if args.label:
        summary["label"] = args.label

    if args.json:
        print(json.dumps(summary, sort_keys=True))
        return
    parts = [args.label] if args.label else []
    if summary["n"]:
        parts.append(f"MRR@{args.k} {summary['mrr']:.3f}  Success@1 {summary['success1']:.3f}  "
                     f"Success@{args.k} {summary['success']:.3f}  n {summary['n']}")
    parts.append(f"answered {summary['answered']}/{summary['queries']}")
    if "p50_ms" in summary:
        parts.append(f"p50 {summary['p50_ms']:.1f} ms  p95 {summary['p95_ms']:.1f} ms")
    elif "mean_ms" in summary:
        parts.append(f"mean {summary['mean_ms']:.1f} ms (wall)")
    print("  ".join(parts))


if __name__ == "__main__":
    main()
