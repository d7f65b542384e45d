# Every optimisation off (HEATMAP_MERGE_NO_OPTIMIZATIONS=1: no shared pages, no read-ahead, the
# copy's check after the scans, no early flush) gives the same output and the same report as
# every optimisation on: exact, within a window, a dry run and in place, with a secondary seeded
# from a copy of the primary (so that pages are shared) and with a WAL primary.
. "$(dirname "$0")/../common.inc"
seeded_pair
cp p.db p-wal.db
sqlite3 p-wal.db "PRAGMA journal_mode = WAL" > /dev/null
strip() {
  grep -v -E '"(output|seconds|elapsed|backup|longest_transaction_ms|longest_commit_ms|waited_ms)"' "$1"
}
for how in exact window dry wal in-place; do
  primary=p.db
  case $how in
    exact) args="" ;;
    window) args="--window 2s" ;;
    dry) args="--dry-run" ;;
    wal) args="" primary=p-wal.db ;;
    in-place) args="--in-place" ;;
  esac
  for mode in on off; do
    plain=""
    [ $mode = off ] && plain=1
    if [ "$how" = in-place ]; then
      cp p.db in-place-$mode.db
      # shellcheck disable=SC2086
      HEATMAP_MERGE_NO_OPTIMIZATIONS=$plain $hm $args --format json in-place-$mode.db s.db \
        > $how-$mode.json 2> $how-$mode.err
    else
      # shellcheck disable=SC2086
      HEATMAP_MERGE_NO_OPTIMIZATIONS=$plain $hm $args --format json -o $how-$mode.db $primary s.db \
        > $how-$mode.json 2> $how-$mode.err
    fi
  done
  assert_eq "$(strip $how-on.json | sed 's/in-place-on/in-place/')" \
    "$(strip $how-off.json | sed 's/in-place-off/in-place/')" "$how: reports"
  if [ "$how" != dry ]; then
    assert_eq "$(sqlite3 $how-on.db 'SELECT * FROM click_events ORDER BY id' | cksum)" \
      "$(sqlite3 $how-off.db 'SELECT * FROM click_events ORDER BY id' | cksum)" "$how: rows"
  fi
done
