# A primary whose NOT NULL constraint says ON CONFLICT IGNORE does not drop a secondary's row that
# the run reports as added: the row is refused (exit 65, naming it), and the dry run predicts it
# (the first breaker of the fit probe: -o exited 0, "added 1 row with id 2", and the output held
# only the primary's row).
. "$(dirname "$0")/../common.inc"
sqlite3 p.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL,
  user_agent TEXT NOT NULL ON CONFLICT IGNORE DEFAULT '', created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');"
sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, user_agent TEXT,
  created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/a', 2, 2, '2026-02-01 11:00:00');"
expect_exit 65 $hm -q p.db s.db -o out.db
grep -q "row 1 of s.db does not fit the output table: out.db: NOT NULL constraint failed: click_events.user_agent" err
test ! -e out.db
cp err real.err
expect_exit 65 $hm -q -n p.db s.db -o out.db
cmp real.err err
