# --in-place refuses a row the live table cannot store before its first commit (exit 65), so the
# primary keeps none of the rows before it: its transactions commit as they go, and without the
# fit probe the last row of 200,000 was refused after about 190,000 had been committed.
. "$(dirname "$0")/../common.inc"
sqlite3 strict.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, viewport_width INTEGER,
  created_at TEXT NOT NULL) STRICT;
  INSERT INTO click_events(page_url, x, y, viewport_width, created_at)
  VALUES ('/', 1, 1, 800, '2026-02-01 10:00:00');"
sqlite3 loose.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, viewport_width INTEGER,
  created_at TEXT NOT NULL);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
  INSERT INTO click_events(page_url, x, y, viewport_width, created_at)
  SELECT '/', i, i, CASE WHEN i = 200000 THEN 'wide' ELSE 800 END, '2026-02-01 11:00:00' FROM n;"
cp strict.db before.db
expect_exit 65 $hm -q --in-place strict.db loose.db
grep -q "error: one of rows 199937 to 200000 of loose.db does not fit the output table: strict.db: cannot store TEXT value in INTEGER column click_events.viewport_width" err
test "$(sqlite3 strict.db 'SELECT count(*) FROM click_events')" = 1
cmp strict.db before.db
no_leftovers
