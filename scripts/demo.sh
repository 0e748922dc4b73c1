#!/usr/bin/env bash
# Install what is missing, build, index corpus/ into build/demo.db and search it.
# Usage: ./scripts/demo.sh ["query"]   (default query: "red shoes")
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
fs_install
fs_build build
query="${1:-red shoes}"
index="$FS_ROOT/build/demo.db"
"$FS_ROOT/build/indexer/filmsearch-index" --index "$index" "$FS_ROOT/corpus"
if [ -x "$FS_ROOT/build/query/filmsearch-query" ]; then
  "$FS_ROOT/build/query/filmsearch-query" --index "$index" --facets genre,decade,type "$query"
fi
