# Window matching goes nearest first: the secondary's click at 1.0 s pairs with the primary's at
# 1.5 s, not the one at 0.0 s, so its click at 3.2 s finds no partner within --window 2s (the one
# at 1.5 s is taken, 0.0 s is too far) and is added. Farthest first would pair 3.2 with 1.5 and
# 1.0 with 0.0, and add nothing (issue 31, item 13).
. "$(dirname "$0")/../common.inc"
for db in p.db s.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/w', 1, 1, '2026-02-18T10:00:00.000Z'), ('/w', 1, 1, '2026-02-18T10:00:01.500Z')"
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/w', 1, 1, '2026-02-18T10:00:01.000Z'), ('/w', 1, 1, '2026-02-18T10:00:03.200Z')"
$hm -n --window 2s --format json p.db s.db > report.json
assert_eq "1 1" "$(jq -r '.inputs[1] | "\(.duplicates_window) \(.rows_added)"' report.json)" \
  "duplicates within the window, rows added"
$hm -q --window 2s -o out.db p.db s.db
assert_eq 3 "$(rows out.db)" "rows out"
assert_eq '2026-02-18T10:00:03.200Z' "$(sqlite3 out.db "SELECT created_at FROM click_events WHERE id = 3")" \
  "the row added"
no_leftovers
