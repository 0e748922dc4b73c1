#!/usr/bin/env bash
# Shard overhead: filmbench films + articles as one index and as 1, 2, 4 and 8 shards, searched
# locally and over loopback (filmsearch-tcpsrv on 127.0.0.1), all in one run. Latency p50/p95
# (took_ms of filmsearch-query --batch) on short search-box queries and on long dev questions,
# without and with genre+decade facets, and the ratio to the single index of the same run.
#
# Usage: bench/shards/run.sh [--build DIR] [--work DIR] [--corpus DIR] [--short N] [--dev N]
#                            [--shards "1 2 4 8"] [--before BIN]
# --before BIN also runs the loopback layouts with facets with another filmsearch-query (e.g. a
# copy built from main), shown as tcpN-before, so a change is measured before and after in the
# same run.
# Environment: NICE (default "nice -n 10"; set NICE= to run at normal priority).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
WORK=""
CORPUS="$ROOT/../shared/corpus/filmbench"
SHORT=300
DEV=100
SHARDS="1 2 4 8"
NICE="${NICE-nice -n 10}"
BEFORE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --short) SHORT="$2"; shift 2 ;;
    --dev) DEV="$2"; shift 2 ;;
    --shards) SHARDS="$2"; shift 2 ;;
    --before) BEFORE="$2"; shift 2 ;;
    *) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
WORK="${WORK:-$BUILD/bench-shards}"
[ -f "$CORPUS/films.jsonl.xz" ] || { echo "run.sh: filmbench not found at $CORPUS" >&2; exit 2; }
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
INDEX="$BUILD/indexer/filmsearch-index"
QUERY="$BUILD/query/filmsearch-query"
TCPSRV="$BUILD/tcpsrv/filmsearch-tcpsrv"
INPUTS=("$CORPUS/films.jsonl.xz" "$CORPUS/articles.jsonl.xz")
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

if [ ! -f "$WORK/short.txt" ]; then
  python3 "$ROOT/bench/eval/make_queries.py" --corpus "$CORPUS" --out-dir "$WORK" \
    --dev "$DEV" --short "$SHORT" >/dev/null
  python3 - "$WORK" "$DEV" "$SHORT" <<'PY'
import json, sys
work, dev, short = sys.argv[1], sys.argv[2], sys.argv[3]
for name, src in (("short", f"short-{short}.jsonl"), ("long", f"dev-{dev}.jsonl")):
    with open(f"{work}/{src}") as f, open(f"{work}/{name}.txt", "w") as out:
        for line in f:
            out.write(" ".join(json.loads(line)["query"].split())[:2000] + "\n")
PY
fi
[ -d "$WORK/one" ] || $NICE "$INDEX" -q --index "$WORK/one" "${INPUTS[@]}"
for n in $SHARDS; do
  [ -d "$WORK/sh$n" ] || $NICE "$INDEX" -q --index "$WORK/sh$n" --shards "$n" "${INPUTS[@]}"
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
layouts=(one)
for n in $SHARDS; do
  layouts+=("sh$n")
  [ -n "$BEFORE" ] && layouts+=("tcp$n.stub@before")
  stub="$WORK/tcp$n.stub"
  : >"$stub"
  for ((i = 0; i < n; i++)); do
    port=$(free_port)
    "$TCPSRV" --port "$port" "$WORK/sh$n/shard-0$i" >/dev/null 2>&1 &
    PIDS+=($!)
    echo "remote 127.0.0.1:$port" >>"$stub"
  done
  echo "auto $WORK/sh$n/spelling" >>"$stub"
  layouts+=("tcp$n.stub")
done
sleep 1
stats() {  # p50 p95 of took_ms in a jsonl file
  python3 -c '
import json, sys
t = sorted(json.loads(l)["took_ms"] for l in open(sys.argv[1]) if l.strip())
print("%.2f %.2f" % (t[len(t) // 2], t[min(len(t) - 1, int(len(t) * 0.95))]))' "$1"
}
printf '%-12s %-6s %-7s %9s %9s %9s\n' layout set facets p50_ms p95_ms p50/one
declare -A base
for entry in "${layouts[@]}"; do
  layout="${entry%@before}"
  bin="$QUERY"
  name="${layout%.stub}"
  if [ "$entry" != "$layout" ]; then bin="$BEFORE"; name="$name-before"; fi
  for set in short long; do
    for facets in no yes; do
      # --before differs only in counting facets: its runs without them would repeat tcpN's.
      [ "$bin" = "$BEFORE" ] && [ "$facets" = no ] && continue
      args=(--batch "$WORK/$set.txt" --format jsonl --snippets 2 --limit 10)
      [ "$facets" = yes ] && args+=(--facets genre,decade)
      # A failed query (a phrase over remote shards of an index without positions) is skipped.
      $NICE "$bin" --index "$WORK/$layout" "${args[@]}" >"$WORK/out.jsonl" 2>/dev/null || true
      read -r p50 p95 < <(stats "$WORK/out.jsonl")
      key="$set-$facets"
      [ "$layout" = one ] && base[$key]=$p50
      printf '%-12s %-6s %-7s %9s %9s %9.2f\n' "$name" "$set" "$facets" "$p50" "$p95" \
        "$(python3 -c "print($p50 / max(${base[$key]}, 1e-9))")"
    done
  done
done
