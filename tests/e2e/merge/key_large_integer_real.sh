# An integer above 9.2e18 and the equal real are one key, as SQLite's = says: a secondary whose
# untyped x holds 9200000000000000000 duplicates the primary's real 9.2e18.
# The real 2^63, beyond every integer, stays apart from the largest one.
. "$(dirname "$0")/../common.inc"
sqlite3 p.db < "$testdata/schema.sql"
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/a', 9.2e18, 1, '2026-02-18 10:00:00'), ('/b', 9223372036854775807.0, 1, '2026-02-18 10:00:00')"
sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x, y REAL NOT NULL, created_at TEXT NOT NULL);
  INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/a', 9200000000000000000, 1, '2026-02-18 10:00:00'),
  ('/b', 9223372036854775807, 1, '2026-02-18 10:00:00')"
assert_eq "1|0" "$(sqlite3 s.db "SELECT (SELECT x FROM click_events WHERE page_url = '/a') = 9.2e18, (SELECT x FROM click_events WHERE page_url = '/b') = 9223372036854775807.0")" "SQLite's ="
$hm -q -o out.db p.db s.db
assert_eq 1 "$(rows out.db "page_url = '/a'")" "rows of /a"
assert_eq 2 "$(rows out.db "page_url = '/b'")" "rows of /b"
