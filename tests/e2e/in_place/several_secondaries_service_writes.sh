# --in-place with two secondaries while the service writes the 200 newest clicks of the second
# one itself: the re-check matches them against the second secondary's planned rows, not against
# the first one's rows that lie in the block of the same number (issue 31), and each click ends up
# in the primary once. With the default budget and with --memory-limit 1MiB (spilled blocks).
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
# Both add 30,000 clicks at the same instants on other pages: the second's newest lie in the last
# block of its planned rows, as the first's newest do in the first's.
grow secondary.db 30000 first
sqlite3 second.db < "$testdata/schema.sql"
grow second.db 30000 second
last=$(sqlite3 second.db 'SELECT max(id) FROM click_events')
cp primary.db primary-before.db
for memory in 128MiB 1MiB; do
cp primary-before.db primary.db
(
  n=0
  until [ "$(rows primary.db "page_url LIKE '/first/%'" 2>/dev/null || echo 0)" -gt 0 ]; do
    n=$((n + 1)); [ "$n" -lt 1500 ] || { echo "the run never committed" >&2; exit 1; }
    sleep 0.02
  done
  sqlite3 -cmd '.timeout 5000' primary.db "ATTACH 'second.db' AS s;
    INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height, scroll_y,
                             user_agent, created_at)
    SELECT page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent, created_at
    FROM s.click_events WHERE id > $last - 200 ORDER BY id"
) &
service=$!
$hm -v --memory-limit $memory --in-place --window 2s primary.db secondary.db second.db \
  > report 2> log
wait "$service"
grep -q '^200 planned rows had meanwhile reached the primary and were not added again' report || {
  echo "with --memory-limit $memory: the re-check did not find the service's 200 rows:" >&2
  cat report log >&2
  exit 1
}
assert_eq 30000 "$(rows primary.db "page_url LIKE '/first/%'")" "first's rows, once each"
assert_eq 30000 "$(rows primary.db "page_url LIKE '/second/%'")" "second's rows, once each"
assert_eq 0 "$(sqlite3 primary.db "SELECT count(*) FROM (SELECT 1 FROM click_events
  GROUP BY page_url, x, y, created_at HAVING count(*) > 1 AND (page_url LIKE '/first/%' OR page_url LIKE '/second/%'))")" \
  "doubled clicks"
assert_eq ok "$(sqlite3 primary.db 'PRAGMA integrity_check')" "integrity"
done
