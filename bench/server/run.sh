#!/usr/bin/env bash
# Server benchmark: filmsearch-serve on filmbench under wrk, server on CPU 0 and wrk on CPU 1.
# req/s and p50/p99 for /health, the 1,000 short search-box queries (10 hits, 2 snippets) and
# the 300 long dev questions with genre+decade facets; and the HTTP overhead: p50 of the short
# queries over one connection (wrk -c1) minus the in-process p50 (took_ms of
# filmsearch-query --batch on the same queries).
# The peer, in the same run: Xapian's Omega (Debian xapian-omega, CGI under lighttpd, on CPU 0
# too) over an Omega-format index of the same records (scriptindex, bench/server/omega.index),
# for the same short queries without their filters (Omega's index has no genre field), beside
# filmsearch-serve on those unfiltered queries. The load average is printed before and after:
# the machine is shared, so read the ratios of one run.
# wrk is closed-loop: p99 under load includes queueing; compare p50s.
#
# Usage: bench/server/run.sh [--build DIR] [--work DIR] [--corpus DIR] [--seconds N] [--connections N]
#                            [--no-omega]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
WORK=""
CORPUS="$ROOT/../shared/corpus/filmbench"
SECONDS_EACH=10
CONNECTIONS=32
OMEGA=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --no-omega) OMEGA=0; shift ;;
    *) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
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
if [ "$OMEGA" = 1 ] && ! { command -v scriptindex && command -v lighttpd && [ -x /usr/lib/cgi-bin/omega/omega ]; } >/dev/null; then
  # Bench-only packages: installed here, not by scripts/setup.sh.
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q xapian-omega lighttpd >/dev/null
  else
    echo "run.sh: the Omega peer needs xapian-omega and lighttpd (apt-get install xapian-omega lighttpd), or --no-omega" >&2
    exit 1
  fi
fi

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
# The same short queries without filters, for filmsearch-serve and for Omega.
with open(f"{work}/q/short-1000.jsonl") as f, open(f"{work}/short-plain.txt", "w") as ours, \
        open(f"{work}/short-omega.txt", "w") as omega:
    for line in f:
        q = json.loads(line)["query"]
        ours.write(urllib.parse.urlencode([("q", q), ("limit", "10"), ("snippets", "2")]) + "\n")
        omega.write(urllib.parse.urlencode([("DB", "filmbench"), ("HITSPERPAGE", "10"), ("P", q)])
                    + "\n")
convert(f"{work}/q/dev-300.jsonl", f"{work}/long.txt",
        [("limit", "10"), ("snippets", "2"), ("facets", "genre,decade")])
PY

port=$((20000 + RANDOM % 20000))
taskset -c 0 "$SERVE" --index "$WORK/ours.db" --listen "127.0.0.1:$port" --threads 1 \
  --io-threads 1 --queue 100000 2>"$WORK/serve.log" &
server=$!
omega_server=""
trap 'kill -TERM $server $omega_server 2>/dev/null; wait $server $omega_server 2>/dev/null' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done

# run NAME CONNECTIONS PATH [QUERIES [PORT]]: one wrk run; prints "NAME req/s p50 p99". With
# QUERIES, each request is PATH?LINE for the next line of that file.
run() {
  local name="$1" conns="$2" path="$3" queries="${4:-}" on_port="${5:-$port}"
  local args=(-t1 -c"$conns" -d"${SECONDS_EACH}s" --latency --timeout 10s)
  [ -n "$queries" ] && args+=(-s "$ROOT/bench/server/queries.lua")
  QUERIES="$queries" QUERY_PATH="$path" taskset -c 1 wrk "${args[@]}" \
    "http://127.0.0.1:$on_port$path" >"$WORK/$name.wrk"
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

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
echo "== filmsearch-serve on $(basename "$CORPUS"), ${SECONDS_EACH}s each, server on CPU 0, wrk on CPU 1"
run health $CONNECTIONS /health
run short-c1 1 /search "$WORK/short.txt"
run short-c$CONNECTIONS $CONNECTIONS /search "$WORK/short.txt"
run long-facets-c1 1 /search "$WORK/long.txt"
run long-facets-c$CONNECTIONS $CONNECTIONS /search "$WORK/long.txt"
run short-plain-c1 1 /search "$WORK/short-plain.txt"
run short-plain-c$CONNECTIONS $CONNECTIONS /search "$WORK/short-plain.txt"

if [ "$OMEGA" = 1 ]; then
  OMEGA_DIR="$WORK/omega"
  if [ ! -d "$OMEGA_DIR/db/filmbench" ]; then
    echo "== indexing $(basename "$CORPUS") for Omega into $OMEGA_DIR/db/filmbench" >&2
    mkdir -p "$OMEGA_DIR/db"
    rm -rf "$OMEGA_DIR/db/filmbench.tmp"
    python3 "$ROOT/bench/server/omega_dump.py" "$CORPUS/films.jsonl.xz" "$CORPUS/reviews.jsonl.xz" \
        "$CORPUS/articles.jsonl.xz" |
      scriptindex "$OMEGA_DIR/db/filmbench.tmp" "$ROOT/bench/server/omega.index" >"$OMEGA_DIR/index.log"
    mv "$OMEGA_DIR/db/filmbench.tmp" "$OMEGA_DIR/db/filmbench"
  fi
  mkdir -p "$OMEGA_DIR/www" "$OMEGA_DIR/log"
  omega_port=$((port + 1))
  cat >"$OMEGA_DIR/omega.conf" <<CONF
database_dir $OMEGA_DIR/db
template_dir /usr/share/xapian-omega/templates
log_dir $OMEGA_DIR/log
CONF
  cat >"$OMEGA_DIR/lighttpd.conf" <<CONF
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.document-root = "$OMEGA_DIR/www"
server.bind = "127.0.0.1"
server.port = $omega_port
server.errorlog = "$OMEGA_DIR/lighttpd.log"
alias.url = ("/cgi-bin/" => "/usr/lib/cgi-bin/")
cgi.assign = ("" => "")
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "$OMEGA_DIR/omega.conf")
CONF
  taskset -c 0 lighttpd -D -f "$OMEGA_DIR/lighttpd.conf" &
  omega_server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$omega_port/cgi-bin/omega/omega?DB=filmbench&P=ballet" >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "== Omega $(dpkg-query -W -f='${Version}' xapian-omega 2>/dev/null) (CGI) under lighttpd, same CPUs"
  run omega-short-c1 1 /cgi-bin/omega/omega "$WORK/short-omega.txt" "$omega_port"
  run omega-short-c$CONNECTIONS $CONNECTIONS /cgi-bin/omega/omega "$WORK/short-omega.txt" "$omega_port"
  python3 - "$WORK" "$CONNECTIONS" <<'PY'
import re, sys
work, conns = sys.argv[1], sys.argv[2]
def rps_p50(name):
    text = open(f"{work}/{name}.wrk").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    m = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", text)
    v, unit = float(m.group(1)), m.group(2)
    return rps, v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
for c in ("1", conns):
    ours, omega = rps_p50(f"short-plain-c{c}"), rps_p50(f"omega-short-c{c}")
    print(f"short queries, {c} connection(s): filmsearch-serve/Omega req/s x{ours[0] / omega[0]:.1f}, "
          f"p50 {ours[1]:.2f} vs {omega[1]:.2f} ms")
PY
fi

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
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
