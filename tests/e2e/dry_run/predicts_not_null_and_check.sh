# A dry run predicts the refusal of a row that a table that is not STRICT refuses too: a NULL in
# a column the primary declares NOT NULL and the secondary does not, and a value a CHECK of the
# primary rejects (exit 65, the real run's message). The probe is skipped only where the schemas
# rule such a row out (fit_probe_by_schema), and neither schema does here.
. "$(dirname "$0")/../common.inc"
# primary [CHECK]: the primary, x with the CHECK given.
primary() {
  rm -f p.db
  sqlite3 p.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_url TEXT NOT NULL, x REAL NOT NULL $*, y REAL NOT NULL,
    scroll_y INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
    INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');"
}
# secondary X SCROLL_Y [NOT NULL]: a secondary whose one row holds X and SCROLL_Y, its scroll_y
# declared with the rest of the arguments.
secondary() {
  rm -f s.db
  x=$1 scroll=$2
  shift 2
  sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, scroll_y INTEGER $*,
    created_at TEXT NOT NULL);
    INSERT INTO click_events(page_url, x, y, scroll_y, created_at)
    VALUES ('/a', $x, 2, $scroll, '2026-02-01 11:00:00');"
}
refused_alike() {
  expect_exit 65 $hm p.db s.db -o out.db
  grep -q "row 1 of s.db does not fit the output table: out.db: .*constraint failed" err
  cp err real.err
  expect_exit 65 $hm -n p.db s.db -o out.db
  cmp real.err err || { echo "the dry run's message differs:" >&2; cat real.err err >&2; exit 1; }
}
primary
secondary 2 NULL
refused_alike
secondary -1 5 NOT NULL
expect_exit 0 $hm -n p.db s.db
primary "CHECK (x >= 0)"
refused_alike
secondary 2 5 NOT NULL
expect_exit 0 $hm -n p.db s.db
test ! -e out.db
no_leftovers
