# --in-place with two secondaries adds each one's rows, the ones the plan chose, as -o does
# (found by the differential fuzzer: "s2.db: row 465 vanished between planning and writing",
# exit 65, or other rows than the plan's).
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
clicks() {
  sqlite3 "$1" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3)
    INSERT INTO click_events (page_url, x, y, created_at)
    SELECT '$2', i, i, strftime('%Y-%m-%d %H:%M:%f', 1771405200 + i, 'unixepoch') FROM n"
}
for counts in "5 3 4" "5 4 3" "2 3 1" "40 7 30"; do
  set -- $counts
  rm -f p.db p.db.backup-* s1.db s2.db out.db
  for db in p.db s1.db s2.db; do
    sqlite3 $db < "$testdata/schema.sql"
  done
  clicks p.db /p "$1"
  clicks s1.db /s1 "$2"
  clicks s2.db /s2 "$3"
  # The expectation, from SQLite: every row of the three (no two alike).
  expected=$(sqlite3 p.db "ATTACH 's1.db' AS s1; ATTACH 's2.db' AS s2;
    SELECT group_concat(page_url || ' ' || x, ',') FROM (
      SELECT page_url, x FROM main.click_events UNION ALL SELECT page_url, x FROM s1.click_events
      UNION ALL SELECT page_url, x FROM s2.click_events ORDER BY 1, 2)")
  $hm -o out.db p.db s1.db s2.db > /dev/null
  $hm --in-place -q p.db s1.db s2.db
  assert_eq "$expected" "$(sqlite3 p.db "SELECT group_concat(page_url || ' ' || x, ',')
    FROM (SELECT page_url, x FROM click_events ORDER BY 1, 2)")" "rows in place, $counts"
  assert_eq "$1" "$(rows p.db "id <= $1 AND page_url = '/p'")" "the primary's rows, $counts"
  same_rows p.db out.db "--in-place and -o, $counts"
done
