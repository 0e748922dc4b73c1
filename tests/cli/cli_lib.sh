# Shared by the CLI test scripts of this folder (sourced, not run). The sourcing script sets
# CASE and works in its own folder; each command's stdout goes to ./out and stderr to ./err.

# fail MESSAGE: reports the case, the message and what the last command printed; exits 1.
fail() {
  echo "FAIL [$CASE]: $*" >&2
  [ -f out ] && { echo "--- stdout:" >&2; head -c 3000 out >&2; }
  [ -f err ] && { echo "--- stderr:" >&2; head -c 3000 err >&2; }
  exit 1
}

# run_cmd EXPECTED_RC COMMAND...: runs COMMAND and fails unless it exits with EXPECTED_RC.
run_cmd() {
  local want="$1"
  shift
  "$@" >out 2>err
  local rc=$?
  [ "$rc" = "$want" ] || fail "exit code $rc, expected $want: $*"
}

expect_out() { grep -Eq -- "$1" out || fail "stdout does not match: $1"; }
expect_err() { grep -Eq -- "$1" err || fail "stderr does not match: $1"; }
