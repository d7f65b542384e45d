# A patch for a table without INTEGER PRIMARY KEY whose column is named rowid adds every planned
# row, whatever that column holds (found by the differential fuzzer: the patch numbered its rows
# by "rowid", which then meant the column, and rows with NULL there never went in: "added 0 of
# its 2 rows, 2 were already there").
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
for db in p.db s.db; do
  sqlite3 $db 'CREATE TABLE click_events (page_url TEXT, x REAL, y REAL, created_at TEXT,
                                          "rowid" INTEGER)'
done
sqlite3 p.db "INSERT INTO click_events VALUES ('/', 1, 1, '2026-02-18 10:00:00', NULL)"
sqlite3 s.db "INSERT INTO click_events VALUES ('/a', 1, 1, '2026-02-18 10:00:01', NULL),
                                              ('/b', 2, 2, '2026-02-18 10:00:02', 40000),
                                              ('/c', 3, 3, '2026-02-18 10:00:03', 1),
                                              ('/d', 4, 4, '2026-02-18 10:00:04', 1)"
make_patch patch.sql p.db s.db
cp p.db target.db
apply_patch target.db patch.sql
assert_eq 4 "$(added_by_patch)" "rows added"
assert_eq "/:NULL /a:NULL /b:40000 /c:1 /d:1" "$(sqlite3 target.db "SELECT group_concat(
  page_url || ':' || coalesce(\"rowid\", 'NULL'), ' ') FROM (SELECT * FROM click_events
  ORDER BY page_url)")" "the rows and their column"
