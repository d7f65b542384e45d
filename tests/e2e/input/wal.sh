# A WAL-mode input is read whole, including committed rows still in its -wal file, and is
# neither checkpointed nor modified.
. "$(dirname "$0")/../common.inc"
test -s secondary-wal.db-wal
before=$(cksum secondary-wal.db secondary-wal.db-wal)
$hm primary.db secondary-wal.db -o out.db > /dev/null
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq "$before" "$(cksum secondary-wal.db secondary-wal.db-wal)" "input untouched"
