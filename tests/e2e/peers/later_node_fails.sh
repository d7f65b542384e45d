# --peers --in-place where the second node's merge fails after the first node was given rows:
# the message says what the first node was given, then the second's failure, with its exit
# status (65: b's NOT NULL column, which a's rows lack); the second node is unchanged.
. "$(dirname "$0")/../common.inc"
sqlite3 a.db < "$testdata/schema.sql"
sqlite3 b.db < "$testdata/schema.sql"
sqlite3 b.db "ALTER TABLE click_events ADD COLUMN session TEXT NOT NULL DEFAULT 's'"
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/a', 1, 1, '2026-02-18 10:00:00')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, created_at, session) VALUES
  ('/b', 2, 2, '2026-02-18 10:00:00', 'x')"
cp b.db b.before
expect_exit 65 $hm --peers --in-place --alter-live-table a.db b.db
grep -q "^heatmap-merge: error: added 1 row to a.db; then b.db: " err
assert_eq 2 "$(rows a.db)" "rows of a"
cmp b.db b.before
