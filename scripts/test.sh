#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite. Non-zero exit on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
fs_install
fs_build build -DFILMSEARCH_BUILD_TESTS=ON
cd "$FS_ROOT/build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 900
