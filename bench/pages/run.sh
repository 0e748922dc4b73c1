#!/usr/bin/env bash
# The page reader's benchmark: field accuracy on ../shared/pages (dev and held-out parts, see
# score_split.py) and reading speed in MB of HTML per CPU second, beside Python's html.parser
# (a tokenizer only, no tree and no content decisions) run on the same files in the same run.
#
# usage: bench/pages/run.sh [BUILD_DIR] [PAGES_DIR]     (defaults: build, ../shared/pages)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
pages=${2:-$root/../shared/pages}
bin=$build/indexer/filmsearch-index
if [ ! -x "$bin" ]; then
  echo "bench/pages: $bin not built (cmake --build $build --target filmsearch-index)" >&2
  exit 1
fi
if [ ! -d "$pages/pages" ]; then
  echo "bench/pages: $pages/pages missing; nothing to measure" >&2
  exit 0
fi

echo "## accuracy (score.py through score_split.py)"
python3 "$root/bench/pages/score_split.py" "$build/indexer" --pages "$pages"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$pages/pages" -name '*.html' -print0 | xargs -0 cp -t "$work"
bytes=$(cat "$work"/*.html | wc -c)
files=$(ls "$work"/*.html | wc -l)

cpu_seconds() {  # runs "$@" three times, prints the least user+sys CPU seconds
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%U %S" -o "$work/time" "$@" >/dev/null 2>&1 || true
    local t
    t=$(awk '{print $1 + $2}' "$work/time")
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$t; fi
  done
  echo "$best"
}

ours=$(cpu_seconds "$bin" --dump "$work")
peer=$(cpu_seconds python3 -c '
import glob, html.parser, sys
class P(html.parser.HTMLParser):
    def handle_data(self, d): pass
for f in glob.glob(sys.argv[1] + "/*.html"):
    P().feed(open(f, encoding="utf-8", errors="replace").read())
' "$work")
echo
echo "## speed ($files HTML pages, $bytes bytes; least CPU time of 3 runs)"
echo "| reader | CPU s | MB/s per core |"
echo "|---|---:|---:|"
awk -v b="$bytes" -v t="$ours" 'BEGIN{printf "| filmsearch-index --dump (whole page reader) | %.2f | %.1f |\n", t, b/1e6/t}'
awk -v b="$bytes" -v t="$peer" 'BEGIN{printf "| python3 html.parser (tokens only) | %.2f | %.1f |\n", t, b/1e6/t}'
awk -v a="$ours" -v b="$peer" 'BEGIN{printf "ratio ours/peer CPU time: %.2f\n", a/b}'
