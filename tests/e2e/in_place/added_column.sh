# --in-place --alter-live-table carries a secondary's extra column into the primary even with no
# row to add, and leaves no lock file but the primary's.
. "$(dirname "$0")/../common.inc"
cp primary.db extra.db
sqlite3 extra.db "ALTER TABLE click_events ADD COLUMN session_id TEXT"
$hm --in-place --alter-live-table primary.db extra.db > report 2> log
grep -q 'column added: "session_id" (only in extra.db)' report
sqlite3 primary.db "SELECT session_id FROM click_events LIMIT 1" > /dev/null
assert_eq ".primary.db.lock" "$(ls -A | grep '\.lock$')" "lock files"
