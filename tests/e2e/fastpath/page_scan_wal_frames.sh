# A WAL input whose -wal holds committed rows is read through SQLite, never from its pages, which
# lack those rows; a rollback-journal input is decoded from its pages (-v says which).
. "$(dirname "$0")/../common.inc"
test -s secondary-wal.db-wal
$hm -v primary.db secondary-wal.db -o wal.db > /dev/null 2> wal.err
assert_eq 465 "$(rows wal.db)" "rows out"
lacks 'secondary-wal\.db: .* decoded from its pages' wal.err
$hm -v primary.db secondary.db -o rollback.db > /dev/null 2> rollback.err
assert_eq 465 "$(rows rollback.db)" "rows out"
if [ -z "${HEATMAP_MERGE_NO_OPTIMIZATIONS:-}" ]; then
  grep 'secondary\.db: [0-9]* rows decoded from its pages' rollback.err > /dev/null
else
  lacks 'decoded from its pages' rollback.err
fi
