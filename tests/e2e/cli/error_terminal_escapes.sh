# Error messages show names and paths escaped (\x1b), never raw: a key column named on the command
# line, an input's path, and a column name that SQLite's own message quotes.
. "$(dirname "$0")/../common.inc"
esc=$(printf '\033')
bel=$(printf '\007')
# assert_escaped TEXT: err holds TEXT, and no raw ESC or BEL.
assert_escaped() {
  grep -qF "$1" err || { echo "no '$1' in:" >&2; cat -v err >&2; exit 1; }
  if grep -q "[$esc$bel]" err; then
    echo "raw control characters in:" >&2
    cat -v err >&2
    exit 1
  fi
}
expect_exit 65 $hm -n --key "page_url,x,y${esc}]0;t${bel}" primary.db secondary.db
assert_escaped 'has no key column "y\x1b]0;t\x07"'
expect_exit 66 $hm -n primary.db "missing${esc}[2J.db"
assert_escaped 'cannot read missing\x1b[2J.db: No such file or directory'
# A row the primary's STRICT table cannot store: SQLite's message names the column.
column="vw${esc}[2J"
sqlite3 strict.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY, page_url TEXT NOT NULL,
  x REAL NOT NULL, y REAL NOT NULL, \"$column\" INTEGER, created_at TEXT NOT NULL) STRICT;
  INSERT INTO click_events VALUES (1, '/', 1, 1, 800, '2026-02-01 10:00:00');"
sqlite3 loose.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY, page_url TEXT NOT NULL,
  x REAL NOT NULL, y REAL NOT NULL, \"$column\" INTEGER, created_at TEXT NOT NULL);
  INSERT INTO click_events VALUES (1, '/', 2, 2, 'wide', '2026-02-01 11:00:00');"
expect_exit 65 $hm -q strict.db loose.db -o out.db
assert_escaped 'INTEGER column click_events.vw\x1b[2J'
