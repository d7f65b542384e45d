# Many failover pairs and a late few: the suggestion is a round window above every pair, not a
# percentile that leaves the late ones in, and the report says what one step less would miss.
. "$(dirname "$0")/../common.inc"
for db in a.db b.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
# 300 clicks on the primary; the secondary got each again 1.2 s later, the last 3 1.9 s later.
sqlite3 a.db "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
  INSERT INTO click_events (page_url, x, y, created_at)
  SELECT '/tail', i, i, strftime('%Y-%m-%d %H:%M:%f', '2026-02-18 12:00:00', '+' || (i * 20) ||
    ' seconds') FROM n"
sqlite3 b.db "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
  INSERT INTO click_events (page_url, x, y, created_at)
  SELECT '/tail', i, i, strftime('%Y-%m-%dT%H:%M:%f', '2026-02-18 12:00:00', '+' || (i * 20) ||
    ' seconds', CASE WHEN i < 297 THEN '+1.2 seconds' ELSE '+1.9 seconds' END) FROM n"
$hm -n --format json a.db b.db > report.json
# The 99th percentile is 1.2 s, which would leave the 3 late copies in.
grep -q '"window_99_ms": 1200.0' report.json
grep -q '"suggested": "2s"' report.json
grep -q '"suggested_ms": 2000.0' report.json
grep -q '"widest_pair_ms": 1900.0' report.json
grep -q '"tighter_ms": 1500.0' report.json
grep -q '"tighter_left_apart": 3' report.json
$hm -n a.db b.db > report
grep -q 'suggested window: --window 2s' report
grep -q 'rounded up to a multiple of 500ms' report
grep -q -- '--window 1.5s would leave 3 pairs apart' report
$hm --window 2s a.db b.db -o out.db > /dev/null
assert_eq 300 "$(rows out.db)" "rows out with the suggestion"
$hm --window 1.5s a.db b.db -o tighter.db > /dev/null
assert_eq 303 "$(rows tighter.db)" "rows out one step tighter"
