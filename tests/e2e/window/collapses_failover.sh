# With --window 2s, failover duplicates recorded 1.25 to 1.65 s late (retry plus clock skew)
# collapse: every real click is in the output exactly once.
. "$(dirname "$0")/../common.inc"
$hm --window 2s primary.db secondary.db -o out.db > report
assert_eq 460 "$(rows out.db)" "rows out"
# Each click the primary recorded at :45 past the minutes 10:34 to 10:54 is there once, under
# the primary's id, and no late copy of it was added.
for id in 300 320 340 360 380; do
  assert_eq 1 "$(sqlite3 out.db "SELECT count(*) FROM click_events AS a, click_events AS b
    WHERE a.id = $id AND b.page_url = a.page_url AND b.x = a.x AND b.y = a.y
      AND abs(julianday(b.created_at) - julianday(a.created_at)) * 86400 < 3")" "click $id"
done
grep -q 'duplicates: 240 exact, 5 within 2s' report
