# A primary whose columns rowid and _rowid_ leave it only oid to reach its row ids, and a secondary
# with a column of its own named oid (found by the breaker): -o must keep the secondary's values
# of that column (not write the new row ids into it), and neither -o nor --in-place
# --alter-live-table may leave a table that heatmap-merge itself then refuses (exit 65).
. "$(dirname "$0")/../common.inc"
sqlite3 p.db "CREATE TABLE click_events (rowid INTEGER, _rowid_ TEXT, page_url TEXT, x REAL,
  y REAL, created_at TEXT);
  INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '2026-02-18T10:00:00Z'), ('/p', 2, 2, '2026-02-18T10:00:01Z')"
sqlite3 s.db "CREATE TABLE click_events (id INTEGER PRIMARY KEY, oid TEXT, page_url TEXT, x REAL,
  y REAL, created_at TEXT);
  INSERT INTO click_events (oid, page_url, x, y, created_at)
  VALUES ('shared', '/p', 1, 1, '2026-02-18T10:00:00Z'), ('s-a', '/s', 3, 3, '2026-02-18T10:00:02Z'),
  ('s-b', '/s', 4, 4, '2026-02-18T10:00:03Z')"
set +e
$hm -q -o out.db p.db s.db 2>err
status=$?
set -e
if [ "$status" = 0 ]; then
  assert_eq "s-a,s-b" "$(sqlite3 out.db "SELECT group_concat(\"oid\") FROM
    (SELECT \"oid\" FROM click_events WHERE page_url = '/s' ORDER BY x)")" "the secondary's oid column in -o"
  expect_exit 0 $hm -n -q out.db s.db
else
  test ! -e out.db
fi
cp p.db live.db
set +e
$hm -q --in-place --alter-live-table live.db s.db 2>err
status=$?
set -e
if [ "$status" = 0 ]; then
  expect_exit 0 $hm -n -q --exit-code --in-place live.db s.db
else
  cmp p.db live.db
fi
