# Columns are matched by name, never by position: a secondary with its columns in another order,
# without scroll_y and with an extra column merges correctly; the extra column is carried into
# the output and reported, and the missing one is NULL.
. "$(dirname "$0")/../common.inc"
sqlite3 shuffled.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL, user_agent TEXT, y REAL NOT NULL, x REAL NOT NULL,
  page_url TEXT NOT NULL, viewport_height INTEGER, viewport_width INTEGER, session_id TEXT);
  INSERT INTO click_events (created_at, user_agent, y, x, page_url, viewport_height,
                                     viewport_width, session_id)
  VALUES ('2026-02-18T10:05:00Z', 'ua', 20, 10, '/new', 768, 1366, 's-1'),
         ('2026-02-18 09:25:00', NULL, 1300, 1140, '/', 1080, 1920, 's-2');"
$hm --format json primary.db shuffled.db -o out.db > report.json
assert_eq 401 "$(rows out.db)" "rows out: the double click's copy is a duplicate"
assert_eq "10.0|20.0|/new|1366|768||s-1" \
  "$(sqlite3 out.db "SELECT x, y, page_url, viewport_width, viewport_height, scroll_y, session_id
                     FROM click_events WHERE id = 401")" "the added row, column by column"
tr -d ' \n' < report.json | grep -q '"columns_added":\[{"from":"shuffled.db","name":"session_id"}\]'
