# --quiet prints nothing on success, on stdout or stderr, in a real run; errors still show.
. "$(dirname "$0")/../common.inc"
$hm -q primary.db secondary.db -o out.db > out 2> err
assert_eq 0 "$(wc -c < out)" "stdout bytes"
assert_eq 0 "$(wc -c < err)" "stderr bytes"
assert_eq 465 "$(rows out.db)" "rows out"
expect_exit 73 $hm -q primary.db secondary.db -o out.db
grep -q 'out.db already exists' err
