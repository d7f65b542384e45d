# A secondary where click_events is a view (over a table of another name): exit 65, named as a
# view; the view is never read.
. "$(dirname "$0")/../common.inc"
cp secondary.db view.db
sqlite3 view.db 'ALTER TABLE click_events RENAME TO clicks;
  CREATE VIEW click_events AS SELECT * FROM clicks'
before=$(cksum view.db)
expect_exit 65 $hm primary.db view.db -o out.db
grep -q 'view.db: "click_events" is a view, not a table' err
assert_eq "$before" "$(cksum view.db)" "input unchanged"
test ! -e out.db
no_leftovers
