#!/usr/bin/env bash
# A big synthetic corpus (bench/shards/synth.py) indexed as N permanent shards, in chunks: each
# chunk is one filmsearch-index run into the same index (the first creates it), so after every
# chunk the index is complete and can be measured, and an interrupted run keeps what it did.
# Per chunk it logs records, wall and CPU seconds, peak memory (max RSS of the indexer) and the
# disk of each shard, as tab-separated lines in WORK/big.tsv.
#
# Usage: bench/shards/big.sh --records N [--chunk 1000000] [--shards 8] [--work DIR]
#                            [--build DIR] [--from K]   (K: first record, to resume)
# Environment: NICE (default "nice -n 19"). Needs xz-compressed filmbench (see synth.py).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
WORK=/work/big
RECORDS=""
CHUNK=1000000
SHARDS=8
FROM=0
NICE="${NICE-nice -n 19}"
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --chunk) CHUNK="$2"; shift 2 ;;
    --shards) SHARDS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    *) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
[ -n "$RECORDS" ] || { echo "big.sh: --records is required" >&2; exit 2; }
mkdir -p "$WORK"
INDEX="$WORK/sh$SHARDS"
LOG="$WORK/big.tsv"
[ -f "$LOG" ] || printf 'upto\trecords\twall_s\tindex_cpu_s\tsynth_cpu_s\tmax_rss_mb\tshard_mb\n' >"$LOG"
k=$FROM
while [ "$k" -lt "$RECORDS" ]; do
  n=$(( RECORDS - k < CHUNK ? RECORDS - k : CHUNK ))
  start=$(date +%s.%N)
  $NICE /usr/bin/time -f '%U %S' -o "$WORK/synth.time" \
      python3 "$ROOT/bench/shards/synth.py" --start "$k" --records "$n" |
    $NICE /usr/bin/time -f '%U %S %M' -o "$WORK/index.time" \
      "$BUILD/indexer/filmsearch-index" -q --index "$INDEX" --shards "$SHARDS" -
  end=$(date +%s.%N)
  k=$(( k + n ))
  read -r iu is rss <"$WORK/index.time"
  read -r su ss <"$WORK/synth.time"
  sizes=$(du -sm "$INDEX"/shard-* | awk '{print $1}' | paste -sd, -)
  python3 -c "import sys; a=sys.argv; print('%s\t%s\t%.0f\t%.0f\t%.0f\t%.0f\t%s' % (a[1], a[2], float(a[4])-float(a[3]), float(a[5])+float(a[6]), float(a[7])+float(a[8]), int(a[9])/1024, a[10]))" \
    "$k" "$n" "$start" "$end" "$iu" "$is" "$su" "$ss" "$rss" "$sizes" >>"$LOG"
  tail -n 1 "$LOG"
  avail=$(df --output=avail -BG "$WORK" | tail -n 1 | tr -dc 0-9)
  if [ "$avail" -lt 45 ]; then echo "big.sh: stopping at $k records: ${avail}G free" >&2; exit 1; fi
done
