# Clicks in the hour before the first whole hour of instants (1677-09-21 00:12:43 to 01:00), an
# outage among them: they count in that first whole hour, as the hour of each of them is, in the
# table around the outage (every input's, and the rows added), which marks it in the HTML
# report, and whose chart draws the outage's band at its start, not off the chart.
. "$(dirname "$0")/../common.inc"
cp primary.db p.db
sqlite3 p.db "DELETE FROM click_events; INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '1677-09-21T00:13:00Z'), ('/p', 2, 1, '1677-09-21T00:13:01Z')"
cp p.db s.db
for second in 0 1 2 3 4 5 6 7 8 9; do
  sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at)
    VALUES ('/s', $second, 1, '1677-09-21T00:47:0${second}Z')"
done
$hm -n p.db s.db > report
grep -qE '^  1677-09-21 01:00 +2 +12 +10$' report
$hm -n --format html p.db s.db > report
grep -qF '<tr class="in-outage"><td class="t">1677-09-21 01:00</td>' report
grep -qF '<rect class="outage-band" x="64.0"' report
