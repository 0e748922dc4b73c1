#!/usr/bin/env bash
# Server benchmark: filmsearch-serve on filmbench under wrk, server on CPU 0 and wrk on CPU 1.
# req/s and p50/p99 for /health, the 1,000 short search-box queries (10 hits, 2 snippets) and
# the 300 long dev questions with genre+decade facets; and the HTTP overhead: p50 of the short
# queries over one connection (wrk -c1) minus the in-process p50 (took_ms of
# filmsearch-query --batch on the same queries).
# wrk is closed-loop: p99 under load includes queueing; compare p50s.
#
# Usage: bench/server/run.sh [--build DIR] [--work DIR] [--corpus DIR] [--seconds N] [--connections N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
WORK=""
CORPUS="$ROOT/../shared/corpus/filmbench"
SECONDS_EACH=10
CONNECTIONS=32
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    *) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
WORK="${WORK:-$BUILD/bench-server}"
SERVE="$BUILD/server/filmsearch-serve"
QUERY="$BUILD/query/filmsearch-query"
INDEXER="$BUILD/indexer/filmsearch-index"
for tool in "$SERVE" "$QUERY" "$INDEXER"; do
  [ -x "$tool" ] || { echo "run.sh: $tool is not built" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "run.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$WORK"

if [ ! -d "$WORK/ours.db" ]; then
  echo "== indexing filmbench into $WORK/ours.db" >&2
  "$INDEXER" -q --index "$WORK/ours.db" "$CORPUS/films.jsonl.xz" "$CORPUS/reviews.jsonl.xz" \
    "$CORPUS/articles.jsonl.xz"
fi
python3 "$ROOT/bench/eval/make_queries.py" --corpus "$CORPUS" --out-dir "$WORK/q" >/dev/null

# Query strings for wrk: the short queries with their filters; the dev questions with facets.
python3 - "$WORK" <<'PY'
import json, sys, urllib.parse
work = sys.argv[1]
def convert(src, dst, extra):
    with open(src) as f, open(dst, "w") as out:
        for line in f:
            j = json.loads(line)
            params = [("q", j["query"])] + extra
            for key, value in (j.get("filters") or {}).items():
                params.append((key, str(value)))
            out.write(urllib.parse.urlencode(params) + "\n")
convert(f"{work}/q/short-1000.jsonl", f"{work}/short.txt", [("limit", "10"), ("snippets", "2")])
convert(f"{work}/q/dev-300.jsonl", f"{work}/long.txt",
        [("limit", "10"), ("snippets", "2"), ("facets", "genre,decade")])
PY

port=$((20000 + RANDOM % 20000))
taskset -c 0 "$SERVE" --index "$WORK/ours.db" --listen "127.0.0.1:$port" --threads 1 \
  --io-threads 1 --queue 100000 2>"$WORK/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done

# run NAME CONNECTIONS PATH [QUERIES]: one wrk run; prints "NAME req/s p50 p99".
run() {
  local name="$1" conns="$2" path="$3" queries="${4:-}"
  local args=(-t1 -c"$conns" -d"${SECONDS_EACH}s" --latency --timeout 10s)
  [ -n "$queries" ] && args+=(-s "$ROOT/bench/server/queries.lua")
  QUERIES="$queries" taskset -c 1 wrk "${args[@]}" "http://127.0.0.1:$port$path" >"$WORK/$name.wrk"
  python3 - "$name" "$WORK/$name.wrk" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
def ms(label):
    m = re.search(r"\s%s\s+([\d.]+)(us|ms|s)" % re.escape(label), text)
    if not m: return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{name:<22} {rps:>9.0f} req/s  p50 {ms('50%'):8.2f} ms  p99 {ms('99%'):8.2f} ms"
      + (f"  non-2xx {non2xx.group(1)}" if non2xx else ""))
PY
}

echo "== filmsearch-serve on $(basename "$CORPUS"), ${SECONDS_EACH}s each, server on CPU 0, wrk on CPU 1"
run health $CONNECTIONS /health
run short-c1 1 /search "$WORK/short.txt"
run short-c$CONNECTIONS $CONNECTIONS /search "$WORK/short.txt"
run long-facets-c1 1 /search "$WORK/long.txt"
run long-facets-c$CONNECTIONS $CONNECTIONS /search "$WORK/long.txt"

# The same short queries in process, for the HTTP overhead at p50.
taskset -c 0 "$QUERY" --index "$WORK/ours.db" --batch "$WORK/q/short-1000.jsonl" --limit 10 \
  --snippets 2 >"$WORK/short.inprocess.jsonl" || true
python3 - "$WORK" <<'PY'
import json, re, statistics, sys
work = sys.argv[1]
took = sorted(json.loads(l)["took_ms"] for l in open(f"{work}/short.inprocess.jsonl") if '"took_ms"' in l)
p50_in = statistics.median(took)
text = open(f"{work}/short-c1.wrk").read()
m = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", text)
v, unit = float(m.group(1)), m.group(2)
p50_http = v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
print(f"in-process short p50 {p50_in:.2f} ms; over HTTP (wrk -c1) p50 {p50_http:.2f} ms; "
      f"HTTP overhead at p50 {p50_http - p50_in:.2f} ms")
PY
