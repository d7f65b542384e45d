# A secondary without the click_events table: exit 65 naming the file and the table.
. "$(dirname "$0")/../common.inc"
cp secondary.db other.db
sqlite3 other.db 'ALTER TABLE click_events RENAME TO clicks'
before=$(cksum other.db)
expect_exit 65 $hm primary.db other.db -o out.db
grep -q 'other.db has no table "click_events"' err
assert_eq "$before" "$(cksum other.db)" "input unchanged"
test ! -e out.db
no_leftovers
