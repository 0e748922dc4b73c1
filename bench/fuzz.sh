#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang 14 into build-fuzz/ and runs each for SECONDS
# (default 30), one after the other, at low priority. The corpus each run grows is kept in
# build-fuzz/corpus/<target>/ (seeded by fuzz/make_seeds.sh); a crash, leak, timeout or violated
# property stops that target, leaves its input in build-fuzz/artifacts/ and fails the script.
# Usage: bench/fuzz.sh [SECONDS] [TARGET...]   (targets: analyzer page_parser record_json reader
#        query_parser snippets stored_record router; default all)
# Environment: FUZZ_SEED: libFuzzer's -seed (default: a new one each run, to explore). test.sh
# sets one, so a test run retraces the same inputs on the same code instead of meeting bugs at
# random; exploring is this script's job, run by hand for longer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(analyzer page_parser record_json reader query_parser snippets stored_record router)

# clang-14 and its sanitizer/libFuzzer runtime are in FS_PACKAGES (scripts/setup.sh).
source "$root/scripts/setup.sh"
fs_install

build="$root/build-fuzz"
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFILMSEARCH_FUZZ=ON -DFILMSEARCH_BUILD_TESTS=OFF >/dev/null
else
  cmake "$build" >/dev/null  # targets added since the folder was made
fi
cmake --build "$build" --parallel "$(nproc)" --target $(printf '%s_fuzzer ' "${targets[@]}")

"$root/fuzz/make_seeds.sh" "$build/seeds"
mkdir -p "$build/artifacts"
# Longest input tried per target: pages are long, queries short.
declare -A max_len=([page_parser]=65536 [analyzer]=16384 [reader]=16384 [record_json]=8192
                    [query_parser]=4096 [snippets]=8192 [stored_record]=8192 [router]=16384)
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  echo "== fuzz $t for ${seconds}s" >&2
  # -timeout: one input taking over 10 s is a bug (bounded work); -rss_limit_mb: so is 2 GB.
  if ! nice -n 15 "$build/fuzz/${t}_fuzzer" "$build/corpus/$t" "$build/seeds/$t" \
      -max_total_time="$seconds" -max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 \
      ${FUZZ_SEED:+-seed="$FUZZ_SEED"} \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
      > "$build/$t.log" 2>&1; then
    echo "fuzz $t FAILED: see $build/$t.log and $build/artifacts/" >&2
    grep -E "property violated|ERROR: |SUMMARY" "$build/$t.log" | head -5 >&2 || true
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/$t.log" |
      tr '\n' ' ' >&2
    echo "corpus $(ls "$build/corpus/$t" | wc -l) inputs" >&2
  fi
done
exit $status
