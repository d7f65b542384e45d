# A secondary with random byte flips (40 runs, fixed seeds): in the database header, in page 1's
# b-tree header and schema, in other pages' headers and anywhere in the file. Every run ends with
# exit 0 or 65 within 20 s, never a crash or a hang. On 65 the message names the file and no
# output or temporary file remains; on 0 the output is a sound database holding every primary row.
. "$(dirname "$0")/faults.inc"
. "$(dirname "$0")/common.inc"
failures=0 successes=0
run=0
while [ "$run" -lt 40 ]; do
  corrupt_copy secondary.db "$run" $((run * 7919 + 17))
  set +e
  timeout 20 $hm -q primary.db corrupt.db -o out.db 2>err
  got=$?
  set -e
  case $got in
    0)
      successes=$((successes + 1))
      if [ "$(sqlite3 out.db 'PRAGMA integrity_check')" != ok ] || [ "$(rows out.db 'id <= 400')" != 400 ]; then
        echo "run $run (flips$where): exit 0 but the output is not sound" >&2
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
