# With two secondaries the patch adds what -o adds from both, each row once: the outage clicks
# that both hold go in once, the row only the second holds goes in.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
cp secondary.db secondary-copy.db
sqlite3 secondary-copy.db "INSERT INTO click_events (page_url, x, y, created_at)
                           VALUES ('/only-here', 1, 2, '2026-02-18 12:00:00')"
make_patch patch.sql primary.db secondary.db secondary-copy.db
$hm primary.db secondary.db secondary-copy.db -o out.db > /dev/null
grep -q '^--   secondary 2 secondary-copy.db: 306 rows, adds 1 ' patch.sql
apply_patch primary.db patch.sql
assert_eq 66 "$(added_by_patch)" "rows added"
same_rows primary.db out.db "two secondaries"
assert_eq 1 "$(rows primary.db "page_url = '/only-here' AND viewport_width IS NULL")" "the second's row"
