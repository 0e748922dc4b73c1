#!/usr/bin/env bash
# Query latency against the number of shards on a big index (bench/shards/big.sh): the 8 shards
# are merged with xapian-compact into 4, 2 and 1 (shard i with i+4, ...: fnv1a64 mod 8 = i
# implies mod 4 = i mod 4, so each merged layout routes as if it had been built with that many
# shards), then every layout is searched locally and over loopback (filmsearch-tcpsrv on
# 127.0.0.1) with the short and long question sets of bench/shards/run.sh, with and without
# genre+decade facets: p50/p95 of took_ms, and the ratio to 1 shard of the same run.
#
# Usage: bench/shards/big_query.sh --index DIR [--queries DIR] [--build DIR] [--keep]
#   DIR: an 8-shard index of big.sh; --queries: a folder with short.txt and long.txt (default:
#   BUILD/bench-shards, made by run.sh); --keep: keep the merged layouts (default: deleted).
# Environment: NICE (default "nice -n 19").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
INDEX=""
QUERIES=""
KEEP=0
NICE="${NICE-nice -n 19}"
while [ $# -gt 0 ]; do
  case "$1" in
    --index) INDEX="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
[ -n "$INDEX" ] && [ -d "$INDEX/shard-07" ] || { echo "big_query.sh: --index must be 8 shards" >&2; exit 2; }
QUERIES="${QUERIES:-$BUILD/bench-shards}"
[ -f "$QUERIES/short.txt" ] && [ -f "$QUERIES/long.txt" ] || {
  echo "big_query.sh: no short.txt/long.txt in $QUERIES (run bench/shards/run.sh first)" >&2; exit 2; }
QUERY="$BUILD/query/filmsearch-query"
TCPSRV="$BUILD/tcpsrv/filmsearch-tcpsrv"
WORK="$INDEX.layouts"
mkdir -p "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ "$KEEP" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

# Layout n: a stub listing n shard folders (8: the index's own).
for n in 1 2 4 8; do
  stub="$WORK/local$n.stub"
  : >"$stub"
  for ((i = 0; i < n; i++)); do
    if [ "$n" = 8 ]; then
      dir="$INDEX/shard-0$i"
    else
      dir="$WORK/m$n-$i"
      if [ ! -d "$dir" ]; then
        srcs=()
        for ((j = i; j < 8; j += n)); do srcs+=("$INDEX/shard-0$j"); done
        $NICE xapian-compact "${srcs[@]}" "$dir" >/dev/null
      fi
    fi
    echo "auto $dir" >>"$stub"
  done
  echo "auto $INDEX/spelling" >>"$stub"
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for n in 1 2 4 8; do
  stub="$WORK/tcp$n.stub"
  : >"$stub"
  grep -v spelling "$WORK/local$n.stub" | while read -r _ dir; do
    port=$(free_port)
    "$TCPSRV" --port "$port" "$dir" >/dev/null 2>&1 &
    echo "$! remote 127.0.0.1:$port"
  done >"$WORK/servers$n"
  while read -r pid line; do PIDS+=("$pid"); echo "$line" >>"$stub"; done <"$WORK/servers$n"
  echo "auto $INDEX/spelling" >>"$stub"
done
sleep 2
stats() {
  python3 -c '
import json, sys
t = sorted(json.loads(l)["took_ms"] for l in open(sys.argv[1]) if l.strip())
print("%.2f %.2f %d" % (t[len(t) // 2], t[min(len(t) - 1, int(len(t) * 0.95))], len(t)))' "$1"
}
printf '%-8s %-6s %-7s %9s %9s %7s %9s\n' layout set facets p50_ms p95_ms answers p50/1shard
declare -A base
for kind in local tcp; do
  for n in 1 2 4 8; do
    for set in short long; do
      for facets in no yes; do
        args=(--batch "$QUERIES/$set.txt" --format jsonl --snippets 2 --limit 10)
        [ "$facets" = yes ] && args+=(--facets genre,decade)
        $NICE "$QUERY" --index "$WORK/$kind$n.stub" "${args[@]}" >"$WORK/out.jsonl" 2>/dev/null || true
        read -r p50 p95 count < <(stats "$WORK/out.jsonl")
        key="$kind-$set-$facets"
        [ "$n" = 1 ] && base[$key]=$p50
        printf '%-8s %-6s %-7s %9s %9s %7s %9.2f\n' "$kind$n" "$set" "$facets" "$p50" "$p95" \
          "$count" "$(python3 -c "print($p50 / max(${base[$key]}, 1e-9))")"
      done
    done
  done
done
