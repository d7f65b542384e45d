# The fit probe declares the table in the primary's text encoding: a UTF-16 primary's CHECK on a
# value's bytes (length(CAST(page_url AS BLOB))) refuses a row that UTF-8 would let through, in a
# dry run as in the real run (exit 65, its message), and --in-place commits nothing. (Found by
# breaking the fit probe: its table was UTF-8, and the dry run said 0 where the real run said 65;
# --in-place got past the probe and refused the row in its writing.)
. "$(dirname "$0")/../common.inc"
sqlite3 p.db "PRAGMA encoding = 'UTF-16le';
  CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL CHECK (length(CAST(page_url AS BLOB)) <= 6), x REAL NOT NULL,
  y REAL NOT NULL, created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');"
sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/ab', 2, 2, '2026-02-01 11:00:00');
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/abcd', 3, 3, '2026-02-01 12:00:00');"
expect_exit 65 $hm p.db s.db -o out.db
grep -q "row 2 of s.db does not fit the output table: out.db: CHECK constraint failed" err
cp err real.err
expect_exit 65 $hm -n p.db s.db -o out.db
cmp real.err err || { echo "the dry run's message differs:" >&2; cat real.err err >&2; exit 1; }
expect_exit 65 $hm -n p.db s.db
cp p.db before.db
expect_exit 65 $hm -n --in-place p.db s.db
expect_exit 65 $hm --in-place p.db s.db
grep -q "row 2 of s.db does not fit the output table: p.db: CHECK constraint failed" err
cmp before.db p.db
test ! -e out.db
no_leftovers
