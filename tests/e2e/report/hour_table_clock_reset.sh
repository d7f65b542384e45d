# A device whose clock was reset to the epoch: 12 clicks at 1970-01-01 00:00:00 to 00:00:11 only
# on the secondary, beside clicks of 2026 on both. The table of hours around that outage counts
# the secondary's 12 clicks there, as the rows it adds, though the chart's counts of each input
# keep to its busiest ten years (they were read from those, and gave 0).
. "$(dirname "$0")/../common.inc"
cp primary.db s.db
for second in 0 1 2 3 4 5 6 7 8 9 10 11; do
  sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at)
    VALUES ('/reset', $second, 1, '$second')"
done
$hm -n primary.db s.db > report
grep -qE '^  1970-01-01 00:00 +0 +12 +12$' report
$hm -n --format json primary.db s.db > report
assert_eq '{"added":12,"hour":"1970-01-01T00:00:00Z","inputs":[0,12]}' \
  "$(jq -c '.hourly[0].hours[2]' report)" "json hour"
