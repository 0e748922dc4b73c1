#!/usr/bin/env bash
# End-to-end tests of filmsearch-index, one case per ctest entry:
#   indexer_cli_test.sh CASE INDEXER SOURCE_DIR WORK_DIR [QUERY]
# Each case runs the built tool on the repo's corpus/ or on small inline inputs in its own
# WORK_DIR/CASE folder and checks exit codes, stdout and stderr. Exit codes of the tool: 0 done,
# 1 failed, 2 bad usage (including an input path that does not exist) or a bad record with
# --strict. QUERY (filmsearch-query) is for the cases that search what they indexed.
set -uo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_lib.sh" || exit 1
CASE="$1"
INDEXER="$2"
SRC="$3"
WORK="$4/$CASE"
QUERY="${5:-}"
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK" || exit 1

# run EXPECTED_RC ARGS...: runs the indexer with ARGS.
run() { run_cmd "$1" "$INDEXER" "${@:2}"; }

case "$CASE" in
  index_corpus)
    run 0 --index db "$SRC/corpus"
    expect_err '^indexed [0-9]+ records \([0-9]+ films, [0-9]+ reviews, [0-9]+ articles\)'
    [ -f db/iamglass ] || fail "no index written"
    first=$(grep -Eo '^indexed [0-9]+' err)
    # Indexing the same files again replaces every record: same count, all replaced.
    run 0 --index db "$SRC/corpus"
    [ "$(grep -Eo '^indexed [0-9]+' err)" = "$first" ] || fail "second run indexed differently"
    expect_err "^replaced ${first#indexed }, deleted 0"
    ;;

  dump_seed_page)
    run 0 --dump "$SRC/corpus/pages/000_b9310d9ccb5f310d.txt"
    [ "$(wc -l <out)" = 1 ] || fail "expected one record"
    expect_out '"title":"The Red Shoes"'
    expect_out '"year":1948'
    expect_out '"type":"film"|"directors"'
    # Keys in reading order: id and type first, sections last.
    expect_out '^\{"id":"page:000_b9310d9ccb5f310d","type":"film","film_id":"film:the-red-shoes-1948","title":"The Red Shoes","year":1948,"genres":'
    expect_out '"sections":\[\{"kind":"synopsis","heading":'
    ;;

  delete)
    printf '%s\n' '{"id": "f1", "type": "film", "title": "One"}' \
      '{"id": "f2", "type": "film", "title": "Two"}' >films.jsonl
    run 0 --index db films.jsonl
    run 0 --index db --delete f1 --delete nosuch
    expect_err 'deleted 1'
    # One id per --delete: the path after it is indexed, not deleted.
    printf '%s\n' '{"id": "f3", "type": "film", "title": "Three"}' >more.jsonl
    run 0 --index db --delete f2 more.jsonl
    expect_err 'deleted 1'
    expect_err 'indexed 1 records'
    ;;

  bad_usage)
    run 2 --index db --no-such-option "$SRC/corpus"
    run 2 "$SRC/corpus"                   # no --index
    run 2 --index db                      # nothing to do
    expect_err 'nothing to do'
    run 2 --index db --threads -3 "$SRC/corpus"
    ;;

  missing_input)
    run 2 --index db no/such/file.jsonl
    expect_err 'no/such/file.jsonl: no such file or directory'
    [ -e db ] && fail "an index was created for a failed run"
    run 2 --dump no/such/file.jsonl
    ;;

  strict)
    printf '%s\n' '{"id": "f1", "type": "film", "title": "Good"}' '{"id": "f2", "title": ' \
      >bad.jsonl
    run 0 --index db bad.jsonl
    expect_err 'bad.jsonl:2: malformed JSON'
    expect_err '^indexed 1 records'
    # --strict: the valid record is still indexed, but the run fails with 2.
    run 2 --index db2 --strict bad.jsonl
    expect_err 'bad.jsonl:2: malformed JSON'
    expect_err '^indexed 1 records'
    expect_err 'skipped 1'
    run 2 --dump --strict bad.jsonl
    expect_out '"id":"f1"'
    ;;

  stdin)
    printf '%s\n' '{"id": "f1", "type": "film", "title": "From a pipe"}' | gzip -c >in.gz
    "$INDEXER" --index db - <in.gz >out 2>err || fail "exit code $?"
    expect_err '^indexed 1 records'
    ;;

  second_writer)
    # An existing index, so the first writer takes the lock as it opens it (a new index is
    # written as shards first, and a --delete racing it could create the folder itself).
    printf '%s\n' '{"id": "f0", "type": "film", "title": "Before"}' >before.jsonl
    run 0 --index db before.jsonl
    # The first writer reads standard input from a FIFO we hold open, so it keeps its lock.
    mkfifo feed
    "$INDEXER" --index db - <feed >first.out 2>first.err &
    first_pid=$!
    exec 3>feed
    printf '%s\n' '{"id": "f1", "type": "film", "title": "Held"}' >&3
    locked=0
    first_told=0
    # Until the first writer has the lock, the second one may still get in (and do nothing).
    for _ in $(seq 1 100); do
      "$INDEXER" --index db --delete x >out 2>err
      rc=$?
      if [ "$rc" != 0 ]; then
        [ "$rc" = 1 ] || fail "second writer: exit code $rc, expected 1"
        expect_err "db is locked by another writer \(pid [0-9]+\)"
        locked=1
        break
      fi
      # A slow start (seen under ASan): the second writer held the lock while the first one
      # opened the index, so the first one is the writer told.
      if ! kill -0 "$first_pid" 2>/dev/null; then
        wait "$first_pid" && fail "first writer succeeded without ever holding the lock?"
        # (The pid may be missing: the holder can be gone by the time the loser looks.)
        grep -Eq "db is locked by another writer( \(pid [0-9]+\))?$" first.err ||
          fail "first writer failed: $(cat first.err)"
        first_told=1
        break
      fi
      sleep 0.1
    done
    exec 3>&-
    if [ "$first_told" = 0 ]; then
      wait "$first_pid" || fail "first writer failed: $(cat first.err)"
      [ "$locked" = 1 ] || fail "the second writer never saw the lock"
      grep -q '^indexed 1 records' first.err || fail "first writer: $(cat first.err)"
    fi
    ;;

  page_joins_film)
    # The corpus has The Red Shoes as a film record (tt0040725) and as two saved pages that name
    # no IMDb id: one film in the results.
    run 0 --index db "$SRC/corpus"
    "$QUERY" --index db --format json "red shoes" >out 2>err || fail "query failed"
    [ "$(grep -c '"title": "The Red Shoes"' out)" = 1 ] || fail "The Red Shoes is not one hit"
    # A page first and its film in a later run, then the film first in one run: either way one
    # film, under the film's id.
    cp "$SRC/corpus/pages/000_b9310d9ccb5f310d.txt" page.txt
    printf '%s\n' '{"id": "tt0040725", "type": "film", "title": "The Red Shoes", "year": 1948}' \
      >film.jsonl
    run 0 --index later page.txt
    run 0 --index later film.jsonl
    run 0 --index first film.jsonl page.txt
    for db in later first; do
      "$QUERY" --index "$db" --format json "ballerina" >out 2>err || fail "query failed ($db)"
      expect_out '"total": 1,'
      expect_out '"film_id": "tt0040725"'
    done
    # Listed as a document, the page shows the film it is grouped under (its stored record
    # keeps the key it was read with).
    "$QUERY" --index later --format json --group-by document "ballerina" >out 2>err ||
      fail "query failed (documents)"
    expect_out '"id": "page:page"'
    expect_out '"film_id": "tt0040725"'
    ;;

  retag)
    # An index tagged by the rules only: --retag brings it to the learned tagger, rewriting only
    # the records whose spans changed; a second run rewrites nothing.
    printf '%s\n' \
      '{"id": "r1", "type": "review", "film_id": "tt1", "text": "In the end, the hero dies saving his daughter, and the villain is revealed to be his brother."}' \
      '{"id": "r2", "type": "review", "film_id": "tt1", "text": "No spoilers here. A handsome film with a fine score."}' \
      >reviews.jsonl
    run 0 --index db --no-learned-spoilers reviews.jsonl
    run 0 --index db reviews.jsonl
    expect_err '^note: the index records spoilers tagged by policy [0-9]+, rules only; this build tags with policy [0-9]+, model [0-9a-f]{16}: run filmsearch-index --index db --retag'
    run 0 --index rules --no-learned-spoilers reviews.jsonl
    run 0 --index rules --retag
    expect_err '^retagged 2 records: 1 rewritten \(their spoiler spans changed\), 1 unchanged'
    expect_err '^spoiler tagger: policy [0-9]+, model [0-9a-f]{16} \(was: policy [0-9]+, rules only\)'
    run 0 --index rules --retag
    expect_err '^retagged 2 records: 0 rewritten'
    run 2 --index rules --retag reviews.jsonl
    expect_err '--retag takes no paths'
    run 2 --index nowhere --retag
    expect_err 'nowhere: no such index'
    ;;

  *)
    fail "unknown case"
    ;;
esac
echo "ok [$CASE]"
