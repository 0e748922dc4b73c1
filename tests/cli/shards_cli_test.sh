#!/usr/bin/env bash
# End-to-end tests of sharded indexes, one case per ctest entry:
#   shards_cli_test.sh CASE INDEXER QUERY TCPSRV SOURCE_DIR WORK_DIR
# `build`: --shards writes shards, a stub, --stats and --check read them, a changed count is
# refused. `same_answers`: the repo's corpus as one index and as 3 shards, searched locally,
# through `remote :xapian-progsrv` stub lines and through filmsearch-tcpsrv on 127.0.0.1, gives
# identical JSON (took_ms aside). Servers are killed on exit; every wait is bounded.
set -uo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_lib.sh" || exit 1
CASE="$1"
INDEXER="$2"
QUERY="$3"
TCPSRV="$4"
SRC="$5"
WORK="$6/$CASE"
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK" || exit 1
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT

run() { run_cmd "$@"; }

# A port on 127.0.0.1 that nothing listens on now (the server binds it next).
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  fail "no free port"
}

# start_server SHARD ERRFILE: filmsearch-tcpsrv on a free port of 127.0.0.1, waiting (bounded)
# until it accepts; sets SERVER_PORT and SERVER_PID (no $(...): the server would hold its pipe). A port taken between free_port and the
# server's bind (another test's connections use the same range) makes the server exit: then
# another port is tried, up to 5 times.
SERVER_PID=""
SERVER_PORT=""
start_server() {
  local shard="$1" err="$2" port
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    "$TCPSRV" --port "$port" "$shard" >/dev/null 2>>"$err" &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then SERVER_PORT=$port; return 0; fi
      sleep 0.1
    done
    kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null
  done
  return 1
}

case "$CASE" in
  build)
    run 0 "$INDEXER" -q --index sh --shards 3 "$SRC/corpus"
    for f in sh/XAPIANDB sh/shard-00 sh/shard-01 sh/shard-02 sh/spelling; do
      [ -e "$f" ] || fail "missing $f"
    done
    grep -q '^# filmsearch shards=3 hash=fnv1a64$' sh/XAPIANDB || fail "stub header"
    run 0 "$INDEXER" --index sh --stats
    expect_out '^shard-02 +[1-9][0-9]* +[1-9]'
    expect_out '^total +[1-9]'
    run 0 "$INDEXER" --index sh --check
    expect_out 'every film is in the one shard it routes to'
    run 2 "$INDEXER" -q --index sh --shards 2 "$SRC/corpus/films.jsonl"
    expect_err 'has 3 shards, not 2: films are routed by the shard count'
    # A later run without --shards keeps the count and the routing.
    run 0 "$INDEXER" -q --index sh "$SRC/corpus/films.jsonl"
    run 0 "$INDEXER" --index sh --check
    run 0 "$INDEXER" -q --index one "$SRC/corpus/films.jsonl"
    run 2 "$INDEXER" -q --index one --shards 2 "$SRC/corpus/films.jsonl"
    expect_err 'holds an unsharded index'
    ;;
  same_answers)
    run 0 "$INDEXER" -q --index one "$SRC/corpus"
    run 0 "$INDEXER" -q --index sh --shards 3 "$SRC/corpus"
    cat >queries <<'Q'
ballet
love story
the red shoes
war
genre:drama
year:1950..1970 family
-comedy village
lov*
wedding OR funeral
grandmother
Q
    ARGS=(--batch queries --format jsonl --facets genre,decade,type --snippets 1)
    run 0 "$QUERY" --index one "${ARGS[@]}"
    sed -E 's/"took_ms": ?[0-9.e+-]+//' out >expected
    [ "$(grep -c '"total":[1-9]' expected)" -ge 8 ] || fail "too few queries with results"
    run 0 "$QUERY" --index sh "${ARGS[@]}"
    sed -E 's/"took_ms": ?[0-9.e+-]+//' out | diff expected - >/dev/null || fail "local shards differ"
    for i in 0 1 2; do echo "remote :xapian-progsrv $PWD/sh/shard-0$i"; done >prog.stub
    echo "auto $PWD/sh/spelling" >>prog.stub
    run 0 "$QUERY" --index prog.stub "${ARGS[@]}"
    sed -E 's/"took_ms": ?[0-9.e+-]+//' out | diff expected - >/dev/null || fail "progsrv shards differ"
    : >tcp.stub
    for i in 0 1 2; do
      start_server "sh/shard-0$i" "srv$i.err" || fail "shard-0$i: no server started ($(cat srv$i.err))"
      PIDS+=("$SERVER_PID")
      echo "remote 127.0.0.1:$SERVER_PORT" >>tcp.stub
    done
    echo "auto $PWD/sh/spelling" >>tcp.stub
    run 0 "$QUERY" --index tcp.stub "${ARGS[@]}"
    sed -E 's/"took_ms": ?[0-9.e+-]+//' out | diff expected - >/dev/null || fail "tcp shards differ"
    # One server gone: named, or left out with --allow-partial.
    kill "${PIDS[1]}"; wait "${PIDS[1]}" 2>/dev/null
    gone=$(sed -n 2p tcp.stub | cut -d' ' -f2)
    run 1 "$QUERY" --index tcp.stub --remote-timeout 2000 ballet
    expect_err "shard $gone"
    run 0 "$QUERY" --index tcp.stub --remote-timeout 2000 --allow-partial --format json ballet
    expect_out "partial results: shard $gone"
    ;;
  replicate)
    # Shards copied with Xapian's replication (xapian-replicate-server on 127.0.0.1, one-shot
    # xapian-replicate per shard) answer as the master, before and after an update.
    export XAPIAN_MAX_CHANGESETS=10
    run 0 "$INDEXER" -q --index master --shards 2 "$SRC/tests/cli/query_fixture.jsonl"
    # As start_server: another port when this one was taken before the server bound it.
    port=""
    for _ in 1 2 3 4 5; do
      p=$(free_port)
      setsid xapian-replicate-server -I 127.0.0.1 -p "$p" master >/dev/null 2>>srv.err &
      pid=$!
      for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || break
        (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null && { port=$p; break; }
        sleep 0.1
      done
      [ -n "$port" ] && { PIDS+=("$pid"); break; }
      kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    done
    [ -n "$port" ] || fail "no replication server started ($(cat srv.err))"
    replicate() {
      for db in shard-00 shard-01 spelling; do
        for _ in $(seq 1 150); do
          timeout 60 xapian-replicate -h 127.0.0.1 -p "$port" -m "$db" -o "replica/$db" \
            >/dev/null 2>>rep.err && break
          sleep 0.2
        done
        [ -e "replica/$db/XAPIANDB" ] || fail "replica/$db not written ($(tail -3 rep.err))"
      done
      printf 'auto shard-00\nauto shard-01\nauto spelling\n' >replica/XAPIANDB
    }
    compare() {
      for q in ballet "red shoes" lermontof dance; do
        run 0 "$QUERY" --index master --format json --facets genre,type "$q"
        sed -E 's/"took_ms": ?[0-9.e+-]+//' out >expected
        run 0 "$QUERY" --index replica --format json --facets genre,type "$q"
        sed -E 's/"took_ms": ?[0-9.e+-]+//' out | diff expected - >/dev/null || fail "replica differs: $q"
      done
    }
    mkdir -p replica
    replicate
    compare
    printf '%s\n' '{"id": "tt7000001", "type": "film", "title": "Ballet of Ash", "year": 1960, "genres": ["Drama"], "sections": [{"kind": "synopsis", "text": "A ballet school burns."}]}' >more.jsonl
    run 0 "$INDEXER" -q --index master more.jsonl
    replicate
    compare
    run 0 "$QUERY" --index replica --format json ballet
    expect_out 'Ballet of Ash'
    ;;
  *)
    fail "unknown case"
    ;;
esac
