# A secondary whose click table lacks the time column: exit 65 naming the file and the column.
. "$(dirname "$0")/../common.inc"
cp secondary.db notime.db
sqlite3 notime.db 'ALTER TABLE click_events DROP COLUMN created_at'
before=$(cksum notime.db)
expect_exit 65 $hm primary.db notime.db -o out.db
grep -q 'notime.db: table "click_events" has no time column "created_at"' err
assert_eq "$before" "$(cksum notime.db)" "input unchanged"
test ! -e out.db
no_leftovers
