# A primary whose generated column calls json_extract() (a function SQLite runs from a file's
# schema only when it trusts the file) is refused with exit 65 and a message that says so, not
# called corrupt: the file is sound (the fit probe's breaker: "p.db is corrupt (malformed
# database schema ... unsafe use of json_extract())", confirmed by a second check).
. "$(dirname "$0")/../common.inc"
sqlite3 p.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL, meta TEXT,
  kind TEXT AS (json_extract(meta, '\$.k')));
  INSERT INTO click_events(page_url, x, y, created_at, meta)
  VALUES ('/', 1, 1, '2026-02-01 10:00:00', '{\"k\": 1}');"
test "$(sqlite3 p.db 'PRAGMA integrity_check')" = ok
for mode in "-o out.db" "-n"; do
  expect_exit 65 $hm $mode p.db secondary.db
  grep -q "p.db cannot be read: its schema calls a function that SQLite runs from a file's schema only when the file is trusted" err
  grep -q "unsafe use of json_extract()" err
  if grep -q "corrupt" err; then
    echo "called corrupt:" >&2
    cat err >&2
    exit 1
  fi
done
test ! -e out.db
