#!/bin/sh
# End-to-end differential fuzzer (issue 26): random replicas merged by the real binary, as is and
# with HEATMAP_MERGE_NO_OPTIMIZATIONS=1, against a reference that merges through SQLite itself.
#
#   sh tests/difffuzz/run.sh BUILD_DIR [quick|long] [--seed N ...] [--keep]
#
# quick (CTest's difffuzz.quick): 200 pairs, DIFFFUZZ_PAIRS to change (the ASan build runs
# fewer); long: 10,000 pairs for local soaks. Every seed is printed with its verdict; a failing
# one reruns alone with `--seed N`, its case kept in DIFFFUZZ_TMP/seed-N (the inputs, case.json
# with the command line, and each answer's directory).
#   DIFFFUZZ_SEED=N   the first seed (default: random, printed)
#   DIFFFUZZ_TMP=DIR  the scratch directory (default BUILD_DIR/difffuzz-tmp)
#   DIFFFUZZ_JOBS=N   cases at once (default: the number of cores)
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [quick|long] [--seed N ...] [--keep]" >&2
  exit 64
fi
build=$(cd "$1" && pwd) || exit 66
shift
mode=quick
case ${1-} in
  quick | long) mode=$1; shift ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
hm=${HEATMAP_MERGE:-$build/heatmap-merge}
[ -x "$hm" ] || { echo "$0: $hm is missing: build first" >&2; exit 66; }
command -v python3 >/dev/null || { echo "$0: needs python3" >&2; exit 69; }
command -v sqlite3 >/dev/null || { echo "$0: needs the sqlite3 CLI" >&2; exit 69; }
if [ "$mode" = long ]; then
  pairs=${DIFFFUZZ_PAIRS:-10000}
  set -- --long "$@"
else
  pairs=${DIFFFUZZ_PAIRS:-200}
fi
tmp=${DIFFFUZZ_TMP:-$build/difffuzz-tmp}
mkdir -p "$tmp"
# The sanitized binary may also leak-check at exit; the reports are compared, not stderr.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
exec python3 "$here/driver.py" --binary "$hm" --pairs "$pairs" --work "$tmp" \
  --jobs "${DIFFFUZZ_JOBS:-$(nproc)}" ${DIFFFUZZ_SEED:+--first-seed "$DIFFFUZZ_SEED"} \
  --rerun-hint "sh $0 $build $mode" "$@"
