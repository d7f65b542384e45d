# A window smaller than the failover delay keeps both copies, and the report says what window
# would have matched them.
. "$(dirname "$0")/../common.inc"
$hm --window 1s primary.db secondary.db -o out.db > report
assert_eq 465 "$(rows out.db)" "rows out"
grep -q '5 same-key pairs lie further apart than the window (1s) but within 10s' report
grep -q 'suggested window: --window 2s' report
grep -q 'the window in use (1s) leaves 5 pairs apart' report
