# A dry run predicts the refusal of a primary whose CHECK calls a function SQLite 3.40 does not
# count as innocuous (json_valid()): the real run's hardened connection (trusted_schema off)
# refuses every insert (exit 65), so -n, -n -o, -n --in-place and a patch exit 65 too, -n -o with
# the real run's message, and --in-place leaves the primary byte-identical. (Found by breaking the
# fit probe: its connection was not hardened, and the dry run said 0.)
. "$(dirname "$0")/../common.inc"
sqlite3 p.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL,
  meta TEXT CHECK (meta IS NULL OR json_valid(meta)));
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');"
sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL, meta TEXT);
  INSERT INTO click_events(page_url, x, y, created_at, meta)
  VALUES ('/a', 2, 2, '2026-02-01 11:00:00', '{}');"
expect_exit 65 $hm p.db s.db -o out.db
grep -q "out.db: unsafe use of json_valid()" err
cp err real.err
expect_exit 65 $hm -n p.db s.db -o out.db
cmp real.err err || { echo "the dry run's message differs:" >&2; cat real.err err >&2; exit 1; }
expect_exit 65 $hm -n p.db s.db
expect_exit 65 $hm -n --format sql p.db s.db
cp p.db before.db
expect_exit 65 $hm -n --in-place p.db s.db
expect_exit 65 $hm --in-place p.db s.db
cmp before.db p.db
test ! -e out.db
no_leftovers
