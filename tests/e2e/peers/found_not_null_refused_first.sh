# --peers --in-place --alter-live-table where the second node has a NOT NULL column without a
# default that the first lacks: the first node's clicks cannot be given to the second. Refused
# (65) before anything is written or backed up, with the message of the dry run. Before, the
# first node was altered and given rows, then the second node's merge failed. Found by the
# breaker of session 32.
. "$(dirname "$0")/../common.inc"
for node in a b; do
  sqlite3 $node.db < "$testdata/schema.sql"
done
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES ('/a', 1, 1, '2026-02-18 10:00:00')"
sqlite3 b.db "ALTER TABLE click_events ADD COLUMN source TEXT NOT NULL DEFAULT 'x';"
sqlite3 b.db "CREATE TABLE t AS SELECT * FROM click_events; DROP TABLE click_events;
  CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT, page_url TEXT NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL, viewport_width INTEGER, viewport_height INTEGER,
    scroll_y INTEGER, user_agent TEXT, created_at TEXT NOT NULL, source TEXT NOT NULL);
  DROP TABLE t;
  INSERT INTO click_events (page_url, x, y, created_at, source) VALUES ('/b', 2, 2, '2026-02-18 10:05:00', 'v2')"
cp a.db a.before
cp b.db b.before
expect_exit 65 $hm -n --peers --in-place --alter-live-table a.db b.db
mv err dry.err
expect_exit 65 $hm --peers --in-place --alter-live-table a.db b.db
grep -q 'a.db: table "click_events" has no column "source", which b.db declares NOT NULL without a default' err
diff dry.err err
cmp a.db a.before
cmp b.db b.before
test -z "$(ls | grep backup || true)"
