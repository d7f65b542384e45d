# --in-place with two secondaries, the later one holding a NULL-time row: the run must add what
# -o adds (found by the breaker: it exits 65 "row N vanished between planning and writing").
. "$(dirname "$0")/../common.inc"
sed 's/created_at TEXT NOT NULL/created_at TEXT/' "$testdata/schema.sql" > nullable.sql
for db in p.db a.db b.db; do
  sqlite3 $db < nullable.sql
done
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '2026-02-18T10:00:00Z')"
# a.db shares the primary's click and adds two; b.db adds one click whose time is NULL.
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '2026-02-18T10:00:00Z'), ('/a', 2, 2, '2026-02-18T10:00:01Z'),
  ('/a', 3, 3, '2026-02-18T10:00:02Z')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES ('/n', 1, 1, NULL)"
$hm -q -o out.db p.db a.db b.db
assert_eq 4 "$(rows out.db)" "rows of -o"
cp p.db live.db
expect_exit 0 $hm -q --in-place live.db a.db b.db
assert_eq 4 "$(rows live.db)" "rows after --in-place"
assert_eq 1 "$(rows live.db 'created_at IS NULL')" "NULL-time rows after --in-place"
# The other order of the secondaries too.
cp p.db live2.db
expect_exit 0 $hm -q --in-place live2.db b.db a.db
assert_eq 4 "$(rows live2.db)" "rows after --in-place, b.db first"
expect_exit 0 $hm -n -q --exit-code --in-place live.db a.db b.db
