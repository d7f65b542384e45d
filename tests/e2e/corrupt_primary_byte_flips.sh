# A primary with random byte flips (40 runs, fixed seeds), placed as in
# corrupt_secondary_byte_flips. The primary's pages are copied into the output, so a damaged page
# must not be passed on: every run ends with exit 0 or 65 within 20 s, never a crash or a hang; on
# 65 the message names the file and no output or temporary file remains; on 0 the output passes
# PRAGMA quick_check (a merge never hands on a damaged database as a good one; quick_check is the
# O(N) check, which leaves out only the index-against-table comparison of integrity_check).
. "$(dirname "$0")/faults.inc"
. "$(dirname "$0")/common.inc"
failures=0 successes=0
run=0
while [ "$run" -lt 40 ]; do
  corrupt_copy primary.db "$run" $((run * 104729 + 3))
  set +e
  timeout 20 $hm -q corrupt.db secondary.db -o out.db 2>err
  got=$?
  set -e
  case $got in
    0)
      successes=$((successes + 1))
      if [ "$(sqlite3 out.db 'PRAGMA quick_check' 2>&1)" != ok ]; then
        echo "run $run (flips$where): exit 0 but the output fails quick_check:" >&2
        sqlite3 out.db 'PRAGMA quick_check' 2>&1 | head -5 >&2
        exit 1
      fi
      rm -f out.db
      ;;
    65)
      failures=$((failures + 1))
      if ! grep -q "corrupt.db" err; then
        echo "run $run (flips$where): the message does not name the file:" >&2
        cat err >&2
        exit 1
      fi
      if [ -e out.db ]; then
        echo "run $run (flips$where): exit 65 left out.db" >&2
        exit 1
      fi
      no_leftovers
      ;;
    *)
      echo "run $run (flips$where): exit $got (124 is a hang, 128 and up a crash)" >&2
      cat err >&2
      exit 1
      ;;
  esac
  run=$((run + 1))
done
echo "$successes runs merged, $failures refused as corrupt"
# Both outcomes must have been exercised, or the flips prove nothing.
test "$failures" -gt 5
