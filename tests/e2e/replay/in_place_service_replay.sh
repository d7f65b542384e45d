# --in-place --replay-window while the service writes, after the run's snapshot, the replayed copy
# of a click that the run has planned to add (the client's queued write to the primary, four
# minutes late): the re-check inside the transaction pairs it with the planned row as the replay
# pass would have, and leaves that row out, so the primary holds the click once, not twice; a row
# the service writes with another payload is no replay and leaves the planned row in.
. "$(dirname "$0")/../common.inc"
for db in p.db s.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, scroll_y, created_at)
  VALUES ('/p', 1, 1, 0, '2026-02-18T10:00:00Z')"
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, scroll_y, created_at)
  VALUES ('/a', 1, 1, 5, '2026-02-18T10:00:00Z'), ('/b', 2, 2, 5, '2026-02-18T10:00:01Z')"
# The service: takes the write lock, and commits only after the run has taken its snapshot
# (rollback journal: readers go on while the lock is RESERVED).
python3 - <<'PY' &
import sqlite3, time
c = sqlite3.connect("p.db", isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO click_events (page_url, x, y, scroll_y, created_at) "
          "VALUES ('/a', 1, 1, 5, '2026-02-18T10:04:00Z'), ('/b', 2, 2, 6, '2026-02-18T10:04:01Z')")
open("locked", "w").close()
time.sleep(2)
c.execute("COMMIT")
PY
service=$!
while [ ! -e locked ]; do sleep 0.05; done
$hm --in-place --window 2s --replay-window 10m --lock-timeout 20s --format json p.db s.db > report
wait $service
assert_eq 1 "$(rows p.db "page_url = '/a'")" "copies of the replayed click"
assert_eq 2 "$(rows p.db "page_url = '/b'")" "rows of '/b' (the service's has another scroll_y)"
assert_eq 1 "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["in_place"]["already_there"])' < report)" "already_there"
