# The fit probe declares a primary whose column names a collation SQLite lacks (made by an
# application that registered it): a NULL the column refuses exits 65 in a dry run as in the real
# run, with its message; a CHECK that compares with the collation exits 65 in both (the real run
# cannot prepare its insert); a row that fits passes both. (Found by breaking the fit probe: it
# skipped such a table with a -v note, and the dry run said 0 where the real run said 65.)
. "$(dirname "$0")/../common.inc"
command -v python3 >/dev/null 2>&1 || skip "python3 makes the collation the primary names"
# primary FILE [CHECK]: a primary whose page_url is COLLATE natsort, with the CHECK given.
primary() {
  python3 - "$@" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.create_collation("natsort", lambda a, b: (a > b) - (a < b))
db.executescript("""CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL COLLATE natsort %s, x REAL NOT NULL, y REAL NOT NULL,
  created_at TEXT NOT NULL);
  INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/', 1, 1, '2026-02-01 10:00:00');
  """ % (sys.argv[2] if len(sys.argv) > 2 else ""))
db.commit()
PY
}
# secondary FILE URL: a secondary whose one row has page_url URL (an SQL literal).
secondary() {
  sqlite3 "$1" "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT, page_url TEXT,
    x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL);
    INSERT INTO click_events(page_url, x, y, created_at) VALUES ($2, 2, 2, '2026-02-01 11:00:00');"
}
primary p.db
primary c.db "CHECK (page_url <> 'x' COLLATE natsort)"
secondary null.db NULL
secondary ok.db "'/b'"
# refused_alike PRIMARY SECONDARY PATTERN: the real run and every dry run exit 65 alike.
refused_alike() {
  expect_exit 65 $hm "$1" "$2" -o out.db
  grep -q "$3" err
  cp err real.err
  expect_exit 65 $hm -n "$1" "$2" -o out.db
  cmp real.err err || { echo "the dry run's message differs:" >&2; cat real.err err >&2; exit 1; }
  expect_exit 65 $hm -n "$1" "$2"
  expect_exit 65 $hm -n --format sql "$1" "$2"
  expect_exit 65 $hm -n --in-place "$1" "$2"
  test ! -e out.db
}
refused_alike p.db null.db "row 1 of null.db does not fit the output table: out.db: NOT NULL"
refused_alike c.db ok.db "out.db: no such collation sequence: natsort"
expect_exit 0 $hm -n p.db ok.db -o out.db
expect_exit 0 $hm p.db ok.db -o out.db
no_leftovers
