# --in-place with two secondaries while the service writes one of the clicks that the second
# secondary adds, after the run's snapshot: the click must end up once, not twice (found by the
# breaker: the re-check of the service's rows shares one block cache between the secondaries,
# as the writer does, and so never sees the second secondary's planned rows).
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
# The service: takes the write lock, and commits its copy of '/b' 3 only after the run has taken
# its snapshot (rollback journal: readers go on while the lock is RESERVED).
python3 - <<'PY' &
import sqlite3, time
c = sqlite3.connect("p.db", isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO click_events (page_url, x, y, created_at) VALUES ('/b', 3, 3, '2026-02-18T10:00:06Z')")
open("locked", "w").close()
time.sleep(2)
c.execute("COMMIT")
PY
service=$!
while [ ! -e locked ]; do sleep 0.05; done
$hm -q --in-place --lock-timeout 20s p.db a.db b.db
wait $service
assert_eq 1 "$(rows p.db "page_url = '/b' AND x = 3")" "copies of the click that the service wrote"
assert_eq 7 "$(rows p.db)" "rows in the primary"
