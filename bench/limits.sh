#!/usr/bin/env bash
# Hostile sizes for filmsearch-index, with peak memory (max RSS from /usr/bin/time -v) and time:
#   1. a JSON Lines file of SIZE_MB (default 1024) of real records (corpus/ repeated, distinct ids)
#   2. a single record whose text is 100 MB
#   3. the same 100 MB line without a final newline
#   4. a 100 MB line that is not JSON (reported and skipped)
# Not part of CI: it writes ~1.3 GB under WORK (default build-limits/) and takes minutes.
# Usage: bench/limits.sh [SIZE_MB] [INDEXER]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mb="${1:-1024}"
indexer="${2:-$root/build/indexer/filmsearch-index}"
work="${WORK:-$root/build-limits}"
mkdir -p "$work"
[ -x "$indexer" ] || { echo "no indexer at $indexer (build it, or pass its path)" >&2; exit 2; }

# measure NAME INDEX ARGS...: runs the indexer, prints one result line.
measure() {
  local name="$1" index="$2"; shift 2
  rm -rf "$index"
  local log="$work/$name.time"
  local rc=0
  nice -n 15 /usr/bin/time -v "$indexer" --index "$index" -q "$@" > "$work/$name.out" 2> "$log" ||
    rc=$?
  local rss wall docs
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  docs=$(xapian-delve "$index" 2>/dev/null | awk '/number of documents/ {print $NF}' || true)
  printf '%-28s exit %-3s peak RSS %6d MB  wall %-9s documents %s\n' \
    "$name" "$rc" $((rss / 1024)) "$wall" "${docs:-?}"
  { grep -v -E '^\s|Command being timed|Exit status' "$log" | grep -v '^$' | tail -n 3 | sed 's/^/    /'; } || true
}

# 1. SIZE_MB of JSON Lines: copies of corpus/*.jsonl with ids suffixed ~N.
big="$work/big.jsonl"
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -lt $((size_mb * 1000000)) ]; then
  echo "writing $size_mb MB of JSON Lines to $big" >&2
  cat "$root"/corpus/*.jsonl > "$work/one.jsonl"
  awk -v limit=$((size_mb * 1000000)) '
    { lines[NR] = $0 }
    END {
      total = 0
      for (copy = 0; total < limit; copy++) {
        for (i = 1; i <= NR && total < limit; i++) {
          line = lines[i]
          sub(/"id": *"[^"]*/, "&~" copy, line)
          sub(/"film_id": *"[^"]*/, "&~" copy, line)
          print line
          total += length(line) + 1
        }
      }
    }' "$work/one.jsonl" > "$big"
fi
echo "input: $(du -h "$big" | cut -f1) $(wc -l < "$big") records" >&2

# 2-4. one 100 MB record: its text is real words, repeated.
words="$(head -c 4000 "$root/corpus/films.jsonl" | tr -c 'A-Za-z \n' ' ' | tr '\n' ' ')"
python3 - "$work" "$words" <<'PY'
import json, sys
work, words = sys.argv[1], sys.argv[2]
text = (words + " ") * (100_000_000 // (len(words) + 1) + 1)
text = text[:100_000_000]
line = json.dumps({"id": "huge", "type": "film", "title": "Huge",
                   "sections": [{"kind": "plot", "text": text}]})
open(f"{work}/huge_record.jsonl", "w").write(line + "\n")
open(f"{work}/huge_no_newline.jsonl", "w").write(line)
open(f"{work}/huge_not_json.jsonl", "w").write(text)
PY

measure "100 MB record" "$work/huge.db" "$work/huge_record.jsonl"
measure "100 MB line, no newline" "$work/huge_nonl.db" "$work/huge_no_newline.jsonl"
measure "100 MB line, not JSON" "$work/huge_bad.db" "$work/huge_not_json.jsonl"
measure "big.jsonl ($size_mb MB)" "$work/big.db" "$big"
