# With a window wide enough for the failover delay, the scattered duplicates are matched: no
# isolated clicks remain, the outages stay, and every real click is in the output once.
. "$(dirname "$0")/../common.inc"
$hm --window 2s --format json day-primary.db day-secondary.db -o out.db > report.json
grep -q '"isolated_rows": 0' report.json
assert_eq 3 "$(tr -d ' \n' < report.json | grep -o '"outages":\[[^]]*\]' | grep -o '"rows"' | wc -l)" "outages"
# 4320 clicks were made that day, one every 20 s.
assert_eq 4320 "$(rows out.db)" "rows out"
