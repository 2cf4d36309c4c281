# Shared helpers for the CLI end-to-end suites. Each suite is a bash script
# run by ctest with: ICTS binary, shared data folder, source root.
set -uo pipefail
ICTS=$1
DATA=$2
ROOT=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILS=0
CHECKS=0

pass() { CHECKS=$((CHECKS + 1)); }
fail() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  if [ "$2" == "$3" ]; then pass; else fail "$1: expected '$2', got '$3'"; fi
}

# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
  if [[ "$2" == *"$3"* ]]; then pass; else fail "$1: '$3' not found in: $2"; fi
}

# run_icts: runs the binary, stores exit code in RC, stdout in OUT, stderr in ERR.
run_icts() {
  "$ICTS" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}

# json_get FILE PYTHON_EXPR (with j bound to the parsed JSON)
json_get() {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

finish() {
  echo "$CHECKS checks, $FAILS failed"
  [ "$FAILS" -eq 0 ]
  exit $?
}

require_data() {
  for f in "$@"; do
    if [ ! -e "$DATA/$f" ]; then
      echo "reference data not found: $DATA/$f (skipping)"
      exit 77
    fi
  done
}
