# -o with a column only the first secondary has: it comes to the output with that secondary's type
# and constant default, so the primary's rows and a second secondary's (which lacks it too) hold
# the default; a default SQLite cannot give an added column (CURRENT_TIMESTAMP) is left off, NULL
# there; a default's text is one expression, a ';' in a string included.
. "$(dirname "$0")/../common.inc"
for db in p s1 s2; do
  sqlite3 $db.db < "$testdata/schema.sql"
done
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES ('/p', 1, 1, '2026-02-01 10:00:00')"
sqlite3 s1.db "ALTER TABLE click_events ADD COLUMN app_version TEXT DEFAULT 'v2;x';
  ALTER TABLE click_events ADD COLUMN seen_at TEXT DEFAULT CURRENT_TIMESTAMP;
  INSERT INTO click_events (page_url, x, y, created_at, app_version, seen_at) VALUES
  ('/s1', 2, 2, '2026-02-01 10:00:01', 'v3', 'then')"
sqlite3 s2.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES ('/s2', 3, 3, '2026-02-01 10:00:02')"
$hm -q -o out.db p.db s1.db s2.db
assert_eq "$(sqlite3 out.db "SELECT page_url || ' ' || app_version || ' ' || coalesce(seen_at, 'NULL') FROM click_events ORDER BY id")" \
  "/p v2;x NULL
/s1 v3 then
/s2 v2;x NULL" "the rows' added columns"
assert_eq "$(sqlite3 out.db "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'click_events'")" 1 \
  "the click table, once"
