# The report gives the time differences of matched pairs: a histogram, their median (the clock
# skew plus the failover delay), the window that catches 99% of them and the round window that
# catches them all, in text and JSON.
. "$(dirname "$0")/../common.inc"
$hm -n --window 2s primary.db secondary.db > report
grep -q 'time differences of the 5 pairs matched within 2s' report
grep -q 'median 1.45s' report
grep -q '99% of them are within 1.65s' report
grep -q '1.2s to 1.3s .*# 1$' report
grep -q 'suggested window: --window 2s' report
$hm -n --window 2s --format json primary.db secondary.db > report.json
grep -q '"median_ms": 1450.0' report.json
grep -q '"window_99_ms": 1650.0' report.json
grep -q '"duplicates_window": 5' report.json
grep -q '"suggested_ms": 2000.0' report.json
