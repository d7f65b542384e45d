# --peers --in-place where the second node's merge fails after the first node was given rows:
# the message says what the first node was given, then the second's failure, with its exit
# status (65: a's row breaks b's CHECK constraint, which the merge cannot know before it tries
# b's rows); the second node is unchanged.
. "$(dirname "$0")/../common.inc"
sqlite3 a.db < "$testdata/schema.sql"
sqlite3 b.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL CHECK (page_url LIKE '/b%'), x REAL NOT NULL, y REAL NOT NULL,
  viewport_width INTEGER, viewport_height INTEGER, scroll_y INTEGER, user_agent TEXT,
  created_at TEXT NOT NULL)"
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/a', 1, 1, '2026-02-18 10:00:00')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/b', 2, 2, '2026-02-18 10:00:00')"
cp b.db b.before
expect_exit 65 $hm --peers --in-place a.db b.db
grep -q "^heatmap-merge: error: added 1 row to a.db; then b.db: " err
assert_eq 2 "$(rows a.db)" "rows of a"
cmp b.db b.before
