# Added rows get ids above every id AUTOINCREMENT ever handed out, not above the largest id left:
# the primary's newest rows were deleted, so sqlite_sequence (400) is above max(id) (390), and
# ids 391 to 400 must never come back, in -o, --in-place or a SQL patch (issue 31, item 13).
. "$(dirname "$0")/../common.inc"
sqlite3 primary.db "DELETE FROM click_events WHERE id > 390"
assert_eq 400 "$(sqlite3 primary.db "SELECT seq FROM sqlite_sequence WHERE name = 'click_events'")" \
  "the primary's sequence"
# With the secondary's 60 outage rows and its 5 failover copies (no window), 455 rows.
$hm -q -o out.db primary.db secondary.db
assert_eq 455 "$(rows out.db)" "rows out"
assert_eq 0 "$(rows out.db "id BETWEEN 391 AND 400")" "-o: rows with a used id"
assert_eq 401 "$(sqlite3 out.db "SELECT min(id) FROM click_events WHERE id > 390")" "-o: first new id"
assert_eq 465 "$(sqlite3 out.db "SELECT seq FROM sqlite_sequence WHERE name = 'click_events'")" \
  "-o: the output's sequence"

cp primary.db live.db
$hm -q --in-place live.db secondary.db
assert_eq 455 "$(rows live.db)" "rows in place"
assert_eq 0 "$(rows live.db "id BETWEEN 391 AND 400")" "--in-place: rows with a used id"
assert_eq 401 "$(sqlite3 live.db "SELECT min(id) FROM click_events WHERE id > 390")" \
  "--in-place: first new id"

cp primary.db patched.db
$hm -n --format sql primary.db secondary.db > patch.sql
sqlite3 patched.db < patch.sql > applied
assert_eq 455 "$(rows patched.db)" "rows patched"
assert_eq 0 "$(rows patched.db "id BETWEEN 391 AND 400")" "patch: rows with a used id"
no_leftovers
