#!/usr/bin/env bash
# Query benchmark: filmsearch against SQLite FTS5 and plain Xapian on filmbench, in one run.
# Relevance (MRR@10, Success@10) on the first 300 dev questions; latency p50/p95 on 1,000 short
# search-box queries and on those long dev questions; every query returns 10 hits with 2
# snippets and genre+decade facets where the system can. Prints a table with ratios ours/peer.
#
# Builds nothing: expects a build folder (default build/; ./scripts/test.sh makes one). Indexes
# that are missing are built into the work folder first (films + reviews + articles).
#
# Usage: bench/query/run.sh [--build DIR] [--work DIR] [--corpus DIR] [--dev N] [--short N]
#                           [--systems "ours fts5 xapian"] [--rebuild]
# Environment: NICE (default "nice -n 10"; set NICE= to run at normal priority).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
WORK=""
CORPUS="$ROOT/../shared/corpus/filmbench"
DEV=300
SHORT=1000
SYSTEMS="ours fts5 xapian"
REBUILD=0
NICE="${NICE-nice -n 10}"

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD="$(cd "$2" 2>/dev/null && pwd || echo "$2")"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --dev) DEV="$2"; shift 2 ;;
    --short) SHORT="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done
WORK="${WORK:-$BUILD/bench-work}"

say() { echo "== $*" >&2; }

if [ ! -d "$BUILD" ]; then
  echo "run.sh: no build folder at $BUILD — build first (./scripts/test.sh, or" >&2
  echo "        cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build)," >&2
  echo "        or pass --build DIR" >&2
  exit 2
fi
if [ ! -f "$CORPUS/films.jsonl.xz" ]; then
  echo "run.sh: filmbench not found at $CORPUS (pass --corpus DIR)" >&2
  exit 2
fi
INPUTS=("$CORPUS/films.jsonl.xz" "$CORPUS/reviews.jsonl.xz" "$CORPUS/articles.jsonl.xz")
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

# Which systems can run: a system whose executables are missing is skipped with a message.
declare -A INDEXER=([ours]="$BUILD/indexer/filmsearch-index" [fts5]="$BUILD/bench/fts5-index"
                    [xapian]="$BUILD/bench/plain-xapian-index")
declare -A QUERIER=([ours]="$BUILD/query/filmsearch-query" [fts5]="$BUILD/bench/fts5-query"
                    [xapian]="$BUILD/bench/plain-xapian-query")
declare -A INDEX=([ours]="$WORK/ours.db" [fts5]="$WORK/fts5.db" [xapian]="$WORK/plain-xapian")
RUNNABLE=()
for s in $SYSTEMS; do
  if [ -z "${QUERIER[$s]+x}" ]; then
    echo "run.sh: unknown system $s (ours, fts5, xapian)" >&2; exit 2
  fi
  if [ ! -x "${QUERIER[$s]}" ]; then
    say "skipping $s: ${QUERIER[$s]} is not built"
    continue
  fi
  if { [ ! -e "${INDEX[$s]}" ] || [ "$REBUILD" = 1 ]; } && [ ! -x "${INDEXER[$s]}" ]; then
    say "skipping $s: no index at ${INDEX[$s]} and ${INDEXER[$s]} is not built"
    continue
  fi
  RUNNABLE+=("$s")
done
if [ ${#RUNNABLE[@]} -eq 0 ]; then
  echo "run.sh: nothing to run (build the peers: cmake --build $BUILD --target fts5-index" \
       "fts5-query plain-xapian-index plain-xapian-query)" >&2
  exit 2
fi

# Query sets (deterministic; written once).
DEV_Q="$WORK/dev-$DEV.jsonl"
SHORT_Q="$WORK/short-$SHORT.jsonl"
if [ ! -f "$DEV_Q" ] || [ ! -f "$SHORT_Q" ]; then
  say "writing query sets into $WORK"
  python3 "$ROOT/bench/eval/make_queries.py" --corpus "$CORPUS" --out-dir "$WORK" \
    --dev "$DEV" --short "$SHORT" >/dev/null
fi

# Build missing indexes, keeping each indexer's output and /usr/bin/time -v report.
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -v -o)
for s in "${RUNNABLE[@]}"; do
  idx="${INDEX[$s]}"
  if [ "$REBUILD" = 1 ]; then rm -rf "$idx"; fi
  if [ -e "$idx" ]; then
    say "$s: reusing index $idx"
    continue
  fi
  say "$s: indexing filmbench into $idx"
  case "$s" in
    ours) args=(--index "$idx") ;;
    *) args=(--db "$idx") ;;
  esac
  timing=()
  [ ${#TIME[@]} -gt 0 ] && timing=("${TIME[@]}" "$WORK/$s-index.time")
  # shellcheck disable=SC2086  # NICE is a command prefix
  $NICE "${timing[@]}" "${INDEXER[$s]}" "${args[@]}" "${INPUTS[@]}" >"$WORK/$s-index.out"
  tail -n 1 "$WORK/$s-index.out" >&2
done

# Runs: one per system and query set; the dev run gives both relevance and long latency.
run_queries() {  # system queries-file results-file
  local s="$1" q="$2" out="$3"
  case "$s" in
    ours) $NICE "${QUERIER[ours]}" --index "${INDEX[ours]}" --batch "$q" --format jsonl \
            --limit 10 --snippets 2 --facets genre,decade >"$out" ;;
    fts5) $NICE "${QUERIER[fts5]}" --db "${INDEX[fts5]}" --queries "$q" --limit 10 --snippets \
            --facets genre,decade >"$out" ;;
    xapian) $NICE "${QUERIER[xapian]}" --db "${INDEX[xapian]}" --queries "$q" --limit 10 \
              --facets genre,decade >"$out" ;;
  esac
}
REPORT_ARGS=()
for s in "${RUNNABLE[@]}"; do
  for set in dev short; do
    if [ "$set" = dev ]; then q="$DEV_Q"; else q="$SHORT_Q"; fi
    out="$WORK/$s-$set.results.jsonl"
    say "$s: $(wc -l <"$q") $set queries"
    start_ns=$(date +%s%N)
    if ! run_queries "$s" "$q" "$out"; then
      say "$s: query run failed on $set (see above); left out of the table"
      continue
    fi
    wall_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
    wall=$(printf '%d.%03d' $((wall_ms / 1000)) $((wall_ms % 1000)))
    python3 "$ROOT/bench/eval/score.py" --queries "$q" --results "$out" --wall-seconds "$wall" \
      --label "$s" --json >"$WORK/$s-$set.score.json"
    python3 "$ROOT/bench/eval/score.py" --queries "$q" --results "$out" --wall-seconds "$wall" \
      --label "$s $set (wall ${wall%.*} s)" >&2
    REPORT_ARGS+=("$s:$set:$WORK/$s-$set.score.json")
  done
done

echo
python3 "$ROOT/bench/query/report.py" "${REPORT_ARGS[@]}"
