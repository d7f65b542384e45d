# --alter-live-table lets --in-place add a secondary's column to the live table, as asked, on the
# command line or in a --config file; the report says the column was added.
. "$(dirname "$0")/../common.inc"
cp secondary.db extra.db
sqlite3 extra.db "ALTER TABLE click_events ADD COLUMN session_id TEXT"
cp primary.db second.db
$hm -n --in-place --alter-live-table primary.db extra.db > dry
grep -q 'column added: "session_id" (only in extra.db)' dry
$hm --in-place --alter-live-table primary.db extra.db > report 2> log
grep -q 'column added: "session_id" (only in extra.db)' report
sqlite3 primary.db "SELECT session_id FROM click_events LIMIT 1" > /dev/null
assert_eq 465 "$(rows primary.db)" "rows in the primary"
printf 'in-place = true\nalter-live-table = true\n' > alter.toml
$hm --config alter.toml second.db extra.db > report 2> log
sqlite3 second.db "SELECT session_id FROM click_events LIMIT 1" > /dev/null
# Without --in-place it means nothing: refused as a usage error.
expect_exit 64 $hm -o out.db --alter-live-table primary.db extra.db
grep -q 'in-place' err
