#!/usr/bin/env bash
# A/B of two indexers (or one indexer with two option sets) on the same input, the two runs of
# each round started together, so both see the same load on a shared machine: their CPU ratio
# B/A is steadier than separate runs (A against itself: 0.99-1.04 over 3 rounds; separate runs
# of one binary varied by +-10%). Prints per round: CPU (user+sys) of each, the ratio, peak RSS
# and index size; then the median ratio.
#
# Usage: bench/index/ab.sh [--rounds N] [--work DIR] --a "INDEXER [OPTIONS]" --b "INDEXER [OPTIONS]"
#                          INPUT...
# Example (a stored sample of 8,000 films + 20,000 reviews; see README.md, "A/B"):
#   bench/index/ab.sh --a "old/filmsearch-index" --b "build/indexer/filmsearch-index" \
#     /tmp/s_films.jsonl /tmp/s_reviews.jsonl
set -euo pipefail

ROUNDS=3
WORK=""
A=""
B=""
usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --a) A="$2"; shift 2 ;;
    --b) B="$2"; shift 2 ;;
    -h|--help) usage ;;
    --*) echo "ab.sh: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ -n "$A" ] && [ -n "$B" ] && [ $# -gt 0 ] || usage
[ -x /usr/bin/time ] || { echo "ab.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/filmsearch-ab.XXXXXX")}"
mkdir -p "$WORK"

ratios=()
for round in $(seq "$ROUNDS"); do
  rm -rf "$WORK/a.db" "$WORK/b.db"
  # shellcheck disable=SC2086
  /usr/bin/time -f "%U %S %M" -o "$WORK/a.time" $A -q --index "$WORK/a.db" "$@" &
  pid_a=$!
  # shellcheck disable=SC2086
  /usr/bin/time -f "%U %S %M" -o "$WORK/b.time" $B -q --index "$WORK/b.db" "$@" &
  pid_b=$!
  wait "$pid_a" || { echo "ab.sh: A failed" >&2; exit 1; }
  wait "$pid_b" || { echo "ab.sh: B failed" >&2; exit 1; }
  cpu_a=$(awk '{print $1 + $2}' "$WORK/a.time")
  cpu_b=$(awk '{print $1 + $2}' "$WORK/b.time")
  ratio=$(awk -v a="$cpu_a" -v b="$cpu_b" 'BEGIN {printf "%.3f", b / a}')
  ratios+=("$ratio")
  printf 'round %d: A %6.2f s CPU %4d MB peak %7d KB index | B %6.2f s CPU %4d MB peak %7d KB index | B/A %s\n' \
    "$round" "$cpu_a" "$(awk '{print int($3 / 1024)}' "$WORK/a.time")" "$(du -sk "$WORK/a.db" | cut -f1)" \
    "$cpu_b" "$(awk '{print int($3 / 1024)}' "$WORK/b.time")" "$(du -sk "$WORK/b.db" | cut -f1)" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{r[NR] = $1} END {print "median CPU ratio B/A: " r[int((NR + 1) / 2)]}'
