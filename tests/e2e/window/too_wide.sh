# A window far wider than the data needs is reported as probably too wide, with the window the
# data suggests; one that matched distinct clicks far apart says how many.
. "$(dirname "$0")/../common.inc"
$hm -n --window 1h primary.db secondary.db > report
grep -q 'window probably too wide: --window 1h is more than twice what the data needs' report
grep -q -- '--window 2s matches every pair the data shows' report
$hm -n --window 1h --format json primary.db secondary.db > report.json
grep -q '"too_wide": true' report.json
grep -q '"matched_beyond_suggested": 0' report.json
$hm -n --window 1h --format markdown primary.db secondary.db > report.md
grep -q '^\*\*Warning\*\*: window probably too wide: `--window 1h`' report.md
$hm -n --window 1h --format html primary.db secondary.db > report.html
grep -q '<p class="warning">Window probably too wide: --window 1h' report.html
# The data's own window, or up to twice it, is not.
for window in 2s 4s; do
  $hm -n --window $window primary.db secondary.db > report
  lacks 'too wide' report
done

# Two distinct clicks on one spot 20 minutes apart, one on each replica: --window 1h makes them
# one (a conflict, their scroll_y differs).
cp primary.db p.db
cp secondary.db s.db
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, scroll_y, created_at)
  VALUES ('/far', 5, 5, 0, '2026-02-18 11:00:00')"
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, scroll_y, created_at)
  VALUES ('/far', 5, 5, 300, '2026-02-18T11:20:00.000000')"
$hm -n --window 1h p.db s.db > report
grep -q 'window probably too wide: --window 1h matched 1 pair further apart than 2s' report
grep -q '(2 conflicts among all duplicates)' report
$hm -n --window 1h --format json p.db s.db > report.json
grep -q '"matched_beyond_suggested": 1' report.json
grep -q '"suggested": "2s"' report.json
$hm -n --window 2s p.db s.db > report
lacks 'too wide' report
