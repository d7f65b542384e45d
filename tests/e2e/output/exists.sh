# An existing output is refused without --force (exit 73) and left as it was; --force replaces it.
. "$(dirname "$0")/../common.inc"
echo precious > out.db
expect_exit 73 $hm primary.db secondary.db -o out.db
grep -q "out.db already exists (use --force to replace it)" err
assert_eq precious "$(cat out.db)" "existing output"
$hm --force primary.db secondary.db -o out.db > /dev/null
assert_eq 465 "$(rows out.db)" "replaced"
no_leftovers
