# A patch whose row the primary's STRICT table cannot store is refused (exit 65, naming the
# secondary's row), with nothing on stdout: it would stop at that row when applied (difffuzz seed
# 234947887 made such a patch with exit 0).
. "$(dirname "$0")/../common.inc"
sqlite3 strict.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL,
  session INTEGER) STRICT;
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');"
sqlite3 loose.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL,
  session INTEGER);
  INSERT INTO click_events(page_url, x, y, created_at, session)
  VALUES ('/a', 2, 2, '2026-02-01 11:00:00', 5), ('/b', 3, 3, '2026-02-01 11:00:01', 'abc');"
$hm -n --format sql strict.db loose.db >patch.sql 2>err && { echo "expected exit 65" >&2; exit 1; } || test $? = 65
grep -q "row 2 of loose.db does not fit the output table: strict.db: cannot store TEXT value in INTEGER column click_events.session" err
test ! -s patch.sql
