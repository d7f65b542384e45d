# A secondary row that the primary's STRICT table cannot store stops the merge with exit 65 (data),
# naming the secondary and the row (or the rows of the batch it was written with), and leaves no
# output behind. 100 rows: one batch of 64, then 36 written one by one.
. "$(dirname "$0")/../common.inc"
sqlite3 strict.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, viewport_width INTEGER,
  created_at TEXT NOT NULL) STRICT;
  INSERT INTO click_events(page_url, x, y, viewport_width, created_at)
  VALUES ('/', 1, 1, 800, '2026-02-01 10:00:00');"
# loose BAD: a secondary whose row BAD holds text where the primary stores integers.
loose() {
  rm -f loose.db
  sqlite3 loose.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, viewport_width INTEGER,
    created_at TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
    INSERT INTO click_events(page_url, x, y, viewport_width, created_at)
    SELECT '/', i, i, CASE WHEN i = $1 THEN 'wide' ELSE 800 END, '2026-02-01 11:00:00' FROM n;"
}
loose 30
expect_exit 65 $hm -q strict.db loose.db -o out.db
grep -q "error: one of rows 1 to 64 of .*loose.db.* does not fit the output table: .*out.db.*cannot store TEXT value in INTEGER column" err
test ! -e out.db
loose 70
expect_exit 65 $hm -q strict.db loose.db -o out.db
grep -q "error: row 70 of .*loose.db.* does not fit the output table: .*out.db.*cannot store TEXT value in INTEGER column" err
test ! -e out.db
no_leftovers
