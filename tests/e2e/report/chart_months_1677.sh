# A chart of months that starts in 1677-09, the first month of instants, whose first day is
# before the first instant: its ticks are the months after, not none (the first of 1677-09 in
# nanoseconds overflowed, and the wrapped tick ended the axis).
. "$(dirname "$0")/../common.inc"
cp primary.db p.db
sqlite3 p.db "DELETE FROM click_events; INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '1677-09-21 01:00:00'), ('/p', 2, 1, '1677-10-15 12:00:00'),
  ('/p', 3, 1, '1677-12-01 00:00:00')"
cp p.db s.db
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/s', 1, 1, '1677-11-01 00:00:00')"
$hm -n --format html p.db s.db > report
for month in 1677-10 1677-11 1677-12; do
  grep -qF ">$month</text>" report || { echo "no tick $month" >&2; exit 1; }
done
