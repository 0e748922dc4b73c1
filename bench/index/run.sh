#!/usr/bin/env bash
# Indexing benchmark: filmsearch-index against the SQLite FTS5 peer (bench/peers/fts5_index.cc,
# `porter unicode61 remove_diacritics 2`, one row per section) on filmbench films + reviews +
# articles, in one run on the same machine. Prints, for both: seconds, MB/s of text, records/s,
# index size on disk and peak memory (max RSS from /usr/bin/time -v), then the ratios ours/FTS5.
# Goal (issue "Speed"): our rate >= 0.5 x FTS5's, peak memory < 2 GB, index <= FTS5's size.
#
# Builds nothing: expects filmsearch-index and fts5-index in a build folder (default build/).
#
# Usage: bench/index/run.sh [--build DIR] [--work DIR] [--corpus DIR] [--systems "ours fts5"]
#                           [-- EXTRA filmsearch-index OPTIONS]
# Environment: NICE (default "nice -n 10"; set NICE= to run at normal priority).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
WORK=""
CORPUS="$ROOT/../shared/corpus/filmbench"
SYSTEMS="ours fts5"
NICE="${NICE-nice -n 10}"
EXTRA=()

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD="$(cd "$2" 2>/dev/null && pwd || echo "$2")"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/filmsearch-index-bench.XXXXXX")}"
mkdir -p "$WORK"

INPUTS=("$CORPUS/films.jsonl.xz" "$CORPUS/reviews.jsonl.xz" "$CORPUS/articles.jsonl.xz")
for f in "${INPUTS[@]}"; do
  [ -r "$f" ] || { echo "run.sh: missing $f (see ../shared/corpus/README.md)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }

OURS="$BUILD/indexer/filmsearch-index"
FTS5="$BUILD/bench/fts5-index"

# measure NAME COMMAND...: runs it under /usr/bin/time -v; leaves NAME.out, NAME.err, NAME.time.
measure() {
  local name="$1"
  shift
  echo "== $name: $*" >&2
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$WORK/$name.time" $NICE "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "run.sh: $name failed:" >&2
    tail -20 "$WORK/$name.err" >&2
    exit 1
  }
}

wall_seconds() {  # from time -v's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33"
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
cpu_seconds() {
  awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$1"
}
max_rss_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
size_mb() { du -sk "$1" | awk '{printf "%.0f", $1 / 1024}'; }

declare -A SECONDS_OF CPU_OF RSS_OF SIZE_OF RECORDS_OF TEXT_OF

if [[ " $SYSTEMS " == *" ours "* ]]; then
  [ -x "$OURS" ] || { echo "run.sh: build filmsearch-index first ($OURS)" >&2; exit 2; }
  rm -rf "$WORK/ours.db"
  measure ours "$OURS" --index "$WORK/ours.db" "${EXTRA[@]}" "${INPUTS[@]}"
  # "indexed N records (...), S sections, X MB of text in ..." (our summary line).
  RECORDS_OF[ours]=$(grep -Eo '^indexed [0-9]+' "$WORK/ours.err" | grep -Eo '[0-9]+')
  TEXT_OF[ours]=$(grep -Eo '[0-9.]+ MB of text' "$WORK/ours.err" | grep -Eo '^[0-9.]+')
  SECONDS_OF[ours]=$(wall_seconds "$WORK/ours.time")
  CPU_OF[ours]=$(cpu_seconds "$WORK/ours.time")
  RSS_OF[ours]=$(max_rss_mb "$WORK/ours.time")
  SIZE_OF[ours]=$(size_mb "$WORK/ours.db")
fi

if [[ " $SYSTEMS " == *" fts5 "* ]]; then
  [ -x "$FTS5" ] || { echo "run.sh: build fts5-index first ($FTS5)" >&2; exit 2; }
  measure fts5 "$FTS5" --db "$WORK/fts5.sqlite" "${INPUTS[@]}"
  # One JSON summary line: {"records":..,"text_bytes":..,...}
  RECORDS_OF[fts5]=$(grep -Eo '"records":[0-9]+' "$WORK/fts5.out" | grep -Eo '[0-9]+')
  TEXT_OF[fts5]=$(grep -Eo '"text_bytes":[0-9]+' "$WORK/fts5.out" | grep -Eo '[0-9]+' |
                  awk '{printf "%.1f", $1 / 1e6}')
  SECONDS_OF[fts5]=$(wall_seconds "$WORK/fts5.time")
  CPU_OF[fts5]=$(cpu_seconds "$WORK/fts5.time")
  RSS_OF[fts5]=$(max_rss_mb "$WORK/fts5.time")
  SIZE_OF[fts5]=$(size_mb "$WORK/fts5.sqlite")
fi

echo
printf '%-8s %9s %9s %8s %8s %10s %9s %9s %10s\n' system records text_MB wall_s cpu_s MB/s \
  records/s index_MB peak_MB
for s in $SYSTEMS; do
  [ -n "${SECONDS_OF[$s]:-}" ] || continue
  awk -v s="$s" -v r="${RECORDS_OF[$s]}" -v t="${TEXT_OF[$s]}" -v w="${SECONDS_OF[$s]}" \
      -v c="${CPU_OF[$s]}" -v i="${SIZE_OF[$s]}" -v m="${RSS_OF[$s]}" 'BEGIN {
    printf "%-8s %9d %9.1f %8.1f %8.1f %10.2f %9.0f %9d %10d\n", s, r, t, w, c, t / w, r / w, i, m }'
done
if [ -n "${SECONDS_OF[ours]:-}" ] && [ -n "${SECONDS_OF[fts5]:-}" ]; then
  # The rate ratio compares wall times on the same input (both read the same records).
  awk -v ow="${SECONDS_OF[ours]}" -v fw="${SECONDS_OF[fts5]}" -v oi="${SIZE_OF[ours]}" \
      -v fi="${SIZE_OF[fts5]}" -v om="${RSS_OF[ours]}" -v fm="${RSS_OF[fts5]}" 'BEGIN {
    printf "\nours/fts5: rate %.2fx (goal >= 0.5), index size %.2fx (goal <= 1), peak memory %.1fx (ours %d MB, goal < 2048)\n",
      fw / ow, oi / fi, om / fm, om }'
fi
echo "(work folder: $WORK)"
