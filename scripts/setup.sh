#!/usr/bin/env bash
# Shared by demo.sh and test.sh: install the Debian 12 packages the build needs (apt-get, through
# sudo when not root), then configure and build into a build folder.
# Usage: source scripts/setup.sh; fs_install; fs_build BUILD_DIR [extra cmake args...]
set -euo pipefail

FS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Every package the build, the tests and the benchmarks use.
FS_PACKAGES=(
  build-essential cmake pkg-config
  libxapian-dev xapian-tools          # search engine library; xapian-check for tests
  libicu-dev                          # word/sentence breaks, normalization
  libcli11-dev nlohmann-json3-dev     # command lines, JSON
  libgtest-dev libgmock-dev           # unit tests
  zlib1g-dev liblzma-dev xz-utils     # .gz and .xz input
  libsqlite3-dev sqlite3              # the FTS5 peer in bench/
  clang-14 libclang-rt-14-dev         # libFuzzer targets (bench/fuzz.sh; test.sh runs them)
  libjemalloc-dev                     # filmsearch-index's malloc (FILMSEARCH_ALLOCATOR)
  libzstd-dev                         # stored records (index/stored_record.h)
  libboost1.81-dev                    # filmsearch-serve's HTTP layer (Boost.Beast, headers only)
  chromium                            # the web page's browser test (tests/server/web_browser_test.py)
  wrk curl                            # bench/server: load on /health and /search
  libgumbo-dev                        # HTML5 pages: the WHATWG tree builder (corpus/page/)
  libyaml-cpp-dev                     # Markdown pages: YAML front matter (corpus/page/)
)

fs_install() {
  local missing=()
  for p in "${FS_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "filmsearch: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# fs_build DIR [cmake args...]: configure (once) and build everything in DIR.
fs_build() {
  local dir="$1"; shift
  cmake -S "$FS_ROOT" -B "$FS_ROOT/$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$FS_ROOT/$dir" --parallel "$(nproc)"
}
