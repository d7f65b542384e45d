# A dry run predicts the real run's refusal of a row the primary's table cannot store (exit 65,
# the same message), with or without -o, as a patch does (found by difffuzz seed 234947887: a
# STRICT primary's INTEGER column that a secondary added as ANY DEFAULT 'none'; the dry run and
# the patch exited 0, the real run 65).
. "$(dirname "$0")/../common.inc"
sqlite3 strict.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL,
  session INTEGER) STRICT;
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');"
sqlite3 loose.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/a', 2, 2, '2026-02-01 11:00:00');
  ALTER TABLE click_events ADD COLUMN session ANY DEFAULT 'none';"
expect_exit 65 $hm strict.db loose.db -o out.db
grep -q "row 1 of loose.db does not fit the output table: out.db: cannot store TEXT value in INTEGER column click_events.session" err
cp err real.err
expect_exit 65 $hm -n strict.db loose.db -o out.db
cmp real.err err || { echo "the dry run's message differs:" >&2; cat real.err err >&2; exit 1; }
expect_exit 65 $hm -n strict.db loose.db
grep -q "row 1 of loose.db does not fit the output table: strict.db: cannot store TEXT" err
test ! -e out.db
no_leftovers
