# An outage that spans centuries (its first click stray-dated 1700, its last on the day of the
# others) is reported with its true duration in every format that prints one: two instants that
# far apart are further apart than a signed 64-bit count of nanoseconds holds.
. "$(dirname "$0")/../common.inc"
cp primary.db s.db
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/old', 1, 2, '1700-01-01 00:00:00'), ('/a', 1, 2, '2026-02-18 08:59:00'),
  ('/a', 1, 2, '2026-02-18 08:59:01'), ('/a', 1, 2, '2026-02-18 08:59:02'),
  ('/a', 1, 2, '2026-02-18 08:59:03'), ('/a', 1, 2, '2026-02-18 08:59:04'),
  ('/a', 1, 2, '2026-02-18 08:59:05'), ('/a', 1, 2, '2026-02-18 08:59:06'),
  ('/a', 1, 2, '2026-02-18 08:59:07'), ('/a', 1, 2, '2026-02-18 09:00:00')"
# 1700-01-01 00:00:00 to 2026-02-18 09:00:00 is 2858817 hours.
$hm -n primary.db s.db > report
grep -qE '^  1700-01-01 00:00:00  2026-02-18 09:00:00  2858817h00m +10$' report
$hm -n --format markdown primary.db s.db > report
grep -qF '| 1700-01-01 00:00:00 | 2026-02-18 09:00:00 | 2858817h00m | 10 |' report
$hm -n --format html primary.db s.db > report
grep -qF '<td class="n">2858817h00m</td>' report
$hm -n --format json primary.db s.db > report
assert_eq '[{"end":"2026-02-18T09:00:00Z","rows":10,"start":"1700-01-01T00:00:00Z"}]' \
  "$(jq -c '.outages' report)" "json outages"
