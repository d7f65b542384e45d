# --in-place with two secondaries that both add rows must insert exactly the rows -o adds (found
# by the breaker: the second secondary's rows were looked up by the first one's row ids, so here
# the primary gets b.db's rows 1 to 3, a second '/p' and no '/b' 3, with exit 0; with other
# counts the run fails with "row N vanished").
. "$(dirname "$0")/../common.inc"
for db in p.db a.db b.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '2026-02-18T10:00:00Z')"
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/a', 1, 1, '2026-02-18T10:00:01Z'), ('/a', 2, 2, '2026-02-18T10:00:02Z'),
  ('/a', 3, 3, '2026-02-18T10:00:03Z')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '2026-02-18T10:00:00Z'), ('/b', 1, 1, '2026-02-18T10:00:04Z'),
  ('/b', 2, 2, '2026-02-18T10:00:05Z'), ('/b', 3, 3, '2026-02-18T10:00:06Z')"
$hm -q -o out.db p.db a.db b.db
assert_eq 7 "$(rows out.db)" "rows of -o"
cp p.db live.db
set +e
$hm -q --in-place live.db a.db b.db 2>err
status=$?
set -e
cat err >&2
clicks() {
  sqlite3 "$1" "SELECT page_url, x, y, created_at FROM click_events ORDER BY 1, 2, 3, 4"
}
assert_eq "$(clicks out.db)" "$(clicks live.db)" "the clicks after --in-place (exit $status) against -o"
assert_eq 0 "$status" "exit status of --in-place"
expect_exit 0 $hm -n -q --exit-code --in-place live.db a.db b.db
