# --in-place while the service itself writes some of the clicks being put back (a client retrying
# late, say): once the run has committed its first transaction, the "service" writes the 400
# newest outage clicks, which the run has planned to add in its last transactions. The re-check
# inside each transaction matches them, as the plan matches rows, and leaves them out: each click
# ends up in the primary exactly once. With the default budget and with --memory-limit 1MiB,
# under which the planned rows are read back from a spill file a block at a time.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
grow secondary.db 60000 outage
last=$(sqlite3 secondary.db 'SELECT max(id) FROM click_events')
cp primary.db primary-before.db
for memory in 128MiB 1MiB; do
cp primary-before.db primary.db
(
  n=0
  until [ "$(rows primary.db "page_url LIKE '/outage/%'" 2>/dev/null || echo 0)" -gt 0 ]; do
    n=$((n + 1)); [ "$n" -lt 1500 ] || { echo "the run never committed" >&2; exit 1; }
    sleep 0.02
  done
  sqlite3 -cmd '.timeout 5000' primary.db "ATTACH 'secondary.db' AS s;
    INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height, scroll_y,
                             user_agent, created_at)
    SELECT page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent, created_at
    FROM s.click_events WHERE id > $last - 400 ORDER BY id"
) &
service=$!
$hm -v --memory-limit $memory --in-place --window 2s primary.db secondary.db > report 2> log
wait "$service"
if [ $memory = 1MiB ]; then
  grep -q 'spilled' log
fi
grep -q '^400 planned rows had meanwhile reached the primary and were not added again' report
assert_eq 60000 "$(rows primary.db "page_url LIKE '/outage/%'")" "outage rows, once each"
assert_eq 0 "$(sqlite3 primary.db "SELECT count(*) FROM (SELECT 1 FROM click_events
  WHERE page_url LIKE '/outage/%' GROUP BY page_url, x, y, created_at HAVING count(*) > 1)")" \
  "doubled outage clicks"
assert_eq ok "$(sqlite3 primary.db 'PRAGMA integrity_check')" "integrity"
done
