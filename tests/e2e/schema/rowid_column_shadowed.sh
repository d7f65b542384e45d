# A click table without INTEGER PRIMARY KEY whose column is named _rowid_ (or rowid, oid): that
# name no longer reaches the row id, but another alias does; the merge works and keeps the
# column's values (issue 26's third bug: a false exit 65).
. "$(dirname "$0")/../common.inc"
for name in _rowid_ rowid oid; do
  rm -f a.db b.db out.db
  for db in a.db b.db; do
    sqlite3 $db "CREATE TABLE click_events (page_url TEXT, x REAL, y REAL, \"$name\" INTEGER,
                                            created_at TEXT)"
  done
  sqlite3 a.db "INSERT INTO click_events VALUES ('/', 1, 2, 70, '2026-02-18 10:00:00'),
                                                ('/a', 3, 4, NULL, '2026-02-18 10:00:01')"
  sqlite3 b.db "INSERT INTO click_events VALUES ('/', 1, 2, 71, '2026-02-18 10:00:00'),
                                                ('/c', 7, 8, 12, '2026-02-18 10:00:03'),
                                                ('/b', 5, 6, -9, '2026-02-18 10:00:02')"
  # The row id by an alias the column does not take.
  alias=rowid
  [ "$name" != rowid ] || alias=_rowid_
  # The expectation, from SQLite: the primary's rows, then the clicks only b has, in time order.
  expected=$(sqlite3 a.db "ATTACH 'b.db' AS b;
    SELECT group_concat(v, ' ') FROM (
      SELECT * FROM (SELECT quote(page_url) || ',' || quote(\"$name\") AS v
                     FROM main.click_events ORDER BY $alias)
      UNION ALL
      SELECT * FROM (SELECT quote(page_url) || ',' || quote(\"$name\") FROM b.click_events AS s
                     WHERE NOT EXISTS (SELECT 1 FROM main.click_events AS p
                       WHERE (p.page_url, p.x, p.y, p.created_at)
                           = (s.page_url, s.x, s.y, s.created_at))
                     ORDER BY created_at))")
  $hm a.db b.db -o out.db > /dev/null
  assert_eq "$expected" "$(sqlite3 out.db "SELECT group_concat(v, ' ') FROM (
    SELECT quote(page_url) || ',' || quote(\"$name\") AS v FROM click_events ORDER BY $alias)")" \
    "rows out with a column named $name"
done
