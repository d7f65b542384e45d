# A secondary whose click table lacks a key column: exit 65 naming the file and the column.
. "$(dirname "$0")/../common.inc"
cp secondary.db nokey.db
sqlite3 nokey.db 'DROP INDEX idx_click_events_page; ALTER TABLE click_events DROP COLUMN page_url'
before=$(cksum nokey.db)
expect_exit 65 $hm primary.db nokey.db -o out.db
grep -q 'nokey.db: table "click_events" has no key column "page_url"' err
assert_eq "$before" "$(cksum nokey.db)" "input unchanged"
test ! -e out.db
no_leftovers
