# A tiny --memory-limit (1MiB, so that keys and plan spill to temporary files) gives the same
# output and the same report as the default: exact, within a window, a dry run, in place, with a
# WAL secondary (no shared pages) and with two secondaries (the first one's added keys spill too).
. "$(dirname "$0")/../common.inc"
# 60,000 clicks: about 1.9 MB of keys in the primary, 1.2 MB in the secondary.
sh "$SOURCE_DIR/bench/generate.sh" 60000 gen > /dev/null
cp gen/secondary.db s-wal.db
sqlite3 s-wal.db "PRAGMA journal_mode = WAL" > /dev/null
cp gen/secondary.db s2.db
# The number of transactions follows the machine's speed (each holds the lock for at most 200 ms).
strip() {
  grep -v -E '"(output|seconds|elapsed|backup|longest_transaction_ms|longest_commit_ms|waited_ms|transactions)"' "$1"
}
for how in exact window dry wal two in-place; do
  secondaries=gen/secondary.db
  case $how in
    exact) args="" ;;
    window) args="--window 2s" ;;
    dry) args="--dry-run" ;;
    wal) args="" secondaries=s-wal.db ;;
    two) args="--window 2s" secondaries="s-wal.db s2.db" ;;
    in-place) args="--in-place" ;;
  esac
  for limit in default 1MiB; do
    memory=""
    [ $limit = 1MiB ] && memory="--memory-limit 1MiB"
    if [ "$how" = in-place ]; then
      cp gen/primary.db in-place-$limit.db
      # shellcheck disable=SC2086
      $hm -v $memory $args --format json in-place-$limit.db $secondaries \
        > $how-$limit.json 2> $how-$limit.err
    else
      # shellcheck disable=SC2086
      $hm -v $memory $args --format json -o $how-$limit.db gen/primary.db $secondaries \
        > $how-$limit.json 2> $how-$limit.err
    fi
  done
  # The small budget did spill, and the default did not.
  grep -q 'spilled .* MiB of keys and plan' $how-1MiB.err
  if grep -q 'spilled' $how-default.err; then
    echo "$how: the default budget spilled" >&2
    exit 1
  fi
  assert_eq "$(strip $how-default.json | sed 's/in-place-default/in-place/')" \
    "$(strip $how-1MiB.json | sed 's/in-place-1MiB/in-place/')" "$how: reports"
  if [ "$how" != dry ]; then
    assert_eq "$(sqlite3 $how-default.db 'SELECT * FROM click_events ORDER BY id' | cksum)" \
      "$(sqlite3 $how-1MiB.db 'SELECT * FROM click_events ORDER BY id' | cksum)" "$how: rows"
  fi
done
# The figures are the generator's: the plan is right, not only the same.
assert_eq "$(grep '^rows_out_exact=' gen/expected.txt | cut -d= -f2)" \
  "$(rows exact-1MiB.db)" "rows out, exact"
assert_eq "$(grep '^rows_out_window=' gen/expected.txt | cut -d= -f2)" \
  "$(rows window-1MiB.db)" "rows out, window"
no_leftovers
