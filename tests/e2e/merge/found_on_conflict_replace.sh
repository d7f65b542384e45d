# A primary whose UNIQUE constraint says ON CONFLICT REPLACE loses no row to a merge: a secondary's
# row that collides with it stops -o and --in-place with exit 65, the primary unchanged, and the
# patch stops at that row when applied (the first breaker of the fit probe: all three exited 0,
# "added 1 row", and the primary's row was gone, from the live file too with --in-place).
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
sqlite3 p.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL UNIQUE ON CONFLICT REPLACE, x REAL NOT NULL, y REAL NOT NULL,
  created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');"
sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 2, 2, '2026-02-01 11:00:00');"
expect_exit 65 $hm -q p.db s.db -o out.db
grep -q "row 1 of s.db does not fit the output table: out.db: UNIQUE constraint failed" err
test ! -e out.db
cp p.db before.db
expect_exit 65 $hm -q --in-place p.db s.db
grep -q "UNIQUE constraint failed" err
cmp p.db before.db
make_patch patch.sql p.db s.db
if sqlite3 p.db < patch.sql > applied 2> apply.err; then
  echo "the patch applied without an error" >&2
  exit 1
fi
grep -q "UNIQUE constraint failed" apply.err
test "$(sqlite3 p.db "SELECT id, x FROM click_events")" = "1|1.0"
