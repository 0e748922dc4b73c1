#!/usr/bin/env python3
"""Print the query benchmark table from the per-run summaries written by bench/query/run.sh.

Each argument is SYSTEM:SET:FILE, FILE holding one JSON object from `score.py --json` (SET is
"dev" or "short"). Prints one row per system (MRR@10, Success@10 and n on the dev set; MRR@10
and Success@1 on the short set's whole-title queries; p50/p95 latency on both sets) and, when
"ours" is present, rows of ratios ours/peer for each peer.
Standard library only.
"""
import json
import sys

COLUMNS = [("MRR@10", "dev", "mrr", "{:.3f}"), ("S@10", "dev", "success", "{:.3f}"),
           ("n", "dev", "n", "{:d}"),
           ("title MRR", "short", "mrr", "{:.3f}"), ("title S@1", "short", "success1", "{:.3f}"),
           ("short p50", "short", "p50_ms", "{:.1f}"), ("short p95", "short", "p95_ms", "{:.1f}"),
           ("long p50", "dev", "p50_ms", "{:.1f}"), ("long p95", "dev", "p95_ms", "{:.1f}")]


def main():
    runs = {}
    order = []
    for arg in sys.argv[1:]:
        system, qset, path = arg.split(":", 2)
        with open(path, encoding="utf-8") as f:
            runs.setdefault(system, {})[qset] = json.load(f)
        if system not in order:
            order.append(system)
    if not order:
        print("no runs to report", file=sys.stderr)
        return 1

    width = max(12, max(len(s) for s in order) + len("ours / ") + 1)
    header = "system".ljust(width) + "".join(name.rjust(11) for name, *_ in COLUMNS)
    print(header)
    print("-" * len(header))
    for system in order:
        cells = []
        for _, qset, key, fmt in COLUMNS:
            value = runs[system].get(qset, {}).get(key)
            cells.append(fmt.format(value) if value is not None else "-")
        print(system.ljust(width) + "".join(c.rjust(11) for c in cells))
    if "ours" in runs:
        for peer in order:
            if peer == "ours":
                continue
            cells = []
            for name, qset, key, _ in COLUMNS:
                ours = runs["ours"].get(qset, {}).get(key)
                theirs = runs[peer].get(qset, {}).get(key)
                if key == "n" or ours is None or not theirs:
                    cells.append("-")
                else:
                    cells.append(f"{ours / theirs:.2f}x")
            print(f"ours / {peer}".ljust(width) + "".join(c.rjust(11) for c in cells))
    print("latencies in ms (took_ms per query: p50/p95); MRR and Success on the dev questions; "
          "title: the short set's whole-title queries (a film of that title)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
