#!/usr/bin/env bash
# Builds the seed corpus of every fuzz target into OUT/<target>/ from corpus/, tests/data and the
# small hand-written seeds in fuzz/seeds/<target>/. Deterministic; nothing here is committed.
# Usage: fuzz/make_seeds.sh OUT
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"
mkdir -p "$out"

# seed TARGET NAME: standard input becomes OUT/TARGET/NAME, cut to 16 KiB (longer seeds only slow
# every execution down; libFuzzer grows inputs itself).
seed() {
  mkdir -p "$out/$1"
  head -c 16384 > "$out/$1/$2"
}

targets=(analyzer page_parser record_json reader query_parser snippets stored_record router)
for t in "${targets[@]}"; do
  mkdir -p "$out/$t"
  if [ -d "$root/fuzz/seeds/$t" ]; then cp "$root/fuzz/seeds/$t/"* "$out/$t/" 2>/dev/null || true; fi
done

# Pages: every page of corpus/ and tests/data, in each format (first byte: 0 text, 1 Markdown,
# 2 HTML), and their text for the analyzer.
n=0
while IFS= read -r -d '' page; do
  n=$((n + 1))
  case "$page" in
    *.md) f='\x01' ;;
    *.html | *.htm) f='\x02' ;;
    *) f='\x00' ;;
  esac
  { printf "$f"; cat "$page"; } | seed page_parser "page$n"
  seed analyzer "page$n" < "$page"
done < <(find "$root/corpus" "$root/tests/data" -type f \( -name '*.txt' -o -name '*.md' \
           -o -name '*.html' -o -name '*.htm' \) ! -name 'README*' ! -name 'FORMAT*' \
           ! -name 'ATTRIBUTION*' -print0 | sort -z)

# Records: every 10th line of the JSON Lines files (films, Douban, NSMC reviews), and their text.
for f in "$root"/corpus/*.jsonl; do
  stem="$(basename "$f" .jsonl)"
  awk 'NR % 10 == 1' "$f" | { i=0; while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "$line" | seed record_json "$stem$i"
    printf '\x00%s\n' "$line" | seed reader "$stem$i.jsonl"
    if [ "$i" -le 8 ]; then
      # a review line: the query is the first words of the text, the body the text
      text="$(printf '%s' "$line" | sed -n 's/.*"text": *"\([^"]*\)".*/\1/p' | head -c 4000)"
      printf '%s' "$text" | seed analyzer "$stem$i"
      printf '\x00%s\n%s' "$(printf '%s' "$text" | cut -d' ' -f1-3)" "$text" |
        seed snippets "$stem$i"
    fi
  done; }
done

# Reader inputs: first byte picks the file name (0 .jsonl, 1 .json, 2 .csv, 3 .tsv, 4 sniffed).
for f in "$root"/tests/data/readers/*; do
  [ -f "$f" ] || continue
  case "$f" in
    *.jsonl) b='\x00' ;;
    *.json) b='\x01' ;;
    *.csv) b='\x02' ;;
    *.tsv) b='\x03' ;;
    *) b='\x04' ;;
  esac
  { printf "$b"; cat "$f"; } | seed reader "$(basename "$f")"
done
{ printf '\x02'; head -n 30 "$root/corpus/british_plots.csv"; } | seed reader british_plots.csv
{ printf '\x04'; head -n 5 "$root/corpus/films.jsonl"; } | seed reader sniffed_films
echo "seeds in $out: $(find "$out" -type f | wc -l) files" >&2
