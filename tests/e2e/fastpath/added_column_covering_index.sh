# A secondary whose rows predate an ALTER TABLE ADD COLUMN ... DEFAULT (records shorter than the
# schema, which the page scan hands back to SQLite), with an index that covers every column the
# run reads (user_agent, which only the secondary has, is not among them): SQLite then scans the
# index, in another order than the row ids, and the rows must still be read each once (issue
# 26's second bug: the hand-back relied on a SELECT without ORDER BY).
. "$(dirname "$0")/../common.inc"
history="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
  INSERT INTO click_events (page_url, x, y, created_at)
  SELECT '/p' || (i % 7), i % 13, i % 17,
         strftime('%Y-%m-%d %H:%M:%f', 1771405200 + i, 'unixepoch') FROM n"
sqlite3 p.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL,
  referrer TEXT); $history"
sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, created_at TEXT NOT NULL,
  user_agent TEXT); $history;
  ALTER TABLE click_events ADD COLUMN referrer TEXT DEFAULT 'direct';
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
  INSERT INTO click_events (page_url, x, y, created_at, user_agent, referrer)
  SELECT '/new', i, i, strftime('%Y-%m-%d %H:%M:%f', 1771409200 + i, 'unixepoch'), 'ua', 'ad'
  FROM n;
  CREATE INDEX click_events_cover ON click_events (page_url, x, y, created_at, referrer)"
sqlite3 s.db "EXPLAIN QUERY PLAN SELECT page_url, x, y, created_at, referrer FROM click_events" |
  grep -q 'COVERING INDEX'
# The expectation, from SQLite: the primary's rows and the secondary's that it lacks.
expected=$(sqlite3 p.db "ATTACH 's.db' AS s; SELECT (SELECT count(*) FROM main.click_events)
  + (SELECT count(*) FROM s.click_events AS r WHERE NOT EXISTS (SELECT 1 FROM main.click_events
     AS o WHERE (o.page_url, o.x, o.y, o.created_at) = (r.page_url, r.x, r.y, r.created_at)))")
assert_eq 2010 "$expected" "the expectation"
$hm -o out.db p.db s.db > /dev/null
assert_eq "$expected" "$(rows out.db)" "rows out"
assert_eq 2010 "$(sqlite3 out.db "SELECT count(DISTINCT page_url || x || y || created_at)
  FROM click_events")" "distinct clicks out"
assert_eq "10|ad" "$(sqlite3 out.db "SELECT count(*), referrer FROM click_events
  WHERE page_url = '/new'")" "the new rows and their column"
assert_eq 2000 "$(rows out.db "id <= 2000 AND referrer IS NULL")" "the primary's rows unchanged"
