#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite. Non-zero exit on any failure.
#   1. build/        the normal build; the whole ctest suite.
#   2. build-asan/   the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer
#                    (FILMSEARCH_SANITIZE); any sanitizer report fails its test. The CLI tests find
#                    their tools through $<TARGET_FILE:...>, so there they run the sanitized tools.
#   3. build-fuzz/   every libFuzzer target for FS_FUZZ_SECONDS each (default 30; 0 skips), with
#                    clang, from seed FS_FUZZ_SEED (default 1); a crash or a violated property
#                    fails (bench/fuzz.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
fs_install
# chromium is in FS_PACKAGES: here the browser test must run, not skip.
export FS_REQUIRE_BROWSER=1

step() { echo "== test.sh: $* ($(date +%H:%M:%S))" >&2; }

step "build/: Release build and tests"
fs_build build -DFILMSEARCH_BUILD_TESTS=ON
(cd "$FS_ROOT/build" && ctest --output-on-failure --parallel "$(nproc)" --timeout 900)

step "build-asan/: AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
# exitcode=86: a sanitizer report must not pass for a test that expects the tool to exit with 1.
# Leak suppressions (tests/lsan.supp) cover only third-party allocations that live until exit.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:exitcode=86:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"
export LSAN_OPTIONS="suppressions=$FS_ROOT/tests/lsan.supp:print_suppressions=0"
fs_build build-asan -DFILMSEARCH_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFILMSEARCH_BUILD_TESTS=ON
(cd "$FS_ROOT/build-asan" && ctest --output-on-failure --parallel "$(nproc)" --timeout 1800)
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

if [ "${FS_FUZZ_SECONDS:-30}" != 0 ]; then
  step "build-fuzz/: each fuzz target for ${FS_FUZZ_SECONDS:-30} s"
  # A fixed seed: the same inputs every run on the same code (bench/fuzz.sh explores).
  FUZZ_SEED="${FS_FUZZ_SEED:-1}" "$FS_ROOT/bench/fuzz.sh" "${FS_FUZZ_SECONDS:-30}"
fi
step "all passed"
