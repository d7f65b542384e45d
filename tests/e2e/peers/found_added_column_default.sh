# --peers --in-place --alter-live-table where only the second node has a column, NOT NULL with a
# default that SQLite cannot give an added column (CURRENT_TIMESTAMP): the first node's merge adds
# the column to it without one, NULL on its own rows; the second node's merge takes the first node
# to lack it, as it did before the run and as the dry run does, so the first node's click gets the
# second node's default there. Before, it was copied with NULL: refused (65, NOT NULL) after the
# first node was written; with a nullable column, stored NULL where the second node's own merge
# gives its default. Found by the breaker of session 32.
. "$(dirname "$0")/../common.inc"
for node in a b; do
  sqlite3 $node.db < "$testdata/schema.sql"
done
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES ('/a', 1, 1, '2026-02-18 10:00:00')"
sqlite3 b.db "CREATE TABLE t AS SELECT * FROM click_events; DROP TABLE click_events; DROP TABLE t;
  CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT, page_url TEXT NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL, viewport_width INTEGER, viewport_height INTEGER,
    scroll_y INTEGER, user_agent TEXT, created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
  INSERT INTO click_events (page_url, x, y, created_at, seen_at) VALUES
    ('/b', 2, 2, '2026-02-18 10:05:00', 'then')"
$hm -n --peers --in-place --alter-live-table --format json a.db b.db > dry.json
$hm -q --peers --in-place --alter-live-table a.db b.db
assert_eq "$(sqlite3 b.db "SELECT page_url || '=' || (seen_at IS NOT NULL AND seen_at != 'then') FROM click_events ORDER BY page_url")" \
  "/a=1
/b=0" "the second node's rows: its default for the first node's click"
assert_eq "$(sqlite3 a.db "SELECT page_url || '=' || coalesce(seen_at, 'NULL') FROM click_events ORDER BY page_url")" \
  "/a=NULL
/b=then" "the first node's rows"
assert_eq "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["rows_added"])' < dry.json)" 2 "the dry run's rows added"
