# --exit-code: exit 1 when rows were added (or, with -n, would be), 0 when there is nothing to add,
# in every mode; without it 0 either way; errors keep their own codes.
. "$(dirname "$0")/../common.inc"
expect_exit 0 $hm -n primary.db secondary.db
expect_exit 1 $hm -n -q --exit-code primary.db secondary.db
expect_exit 1 $hm -q --exit-code -o out.db primary.db secondary.db
assert_eq 465 "$(rows out.db)" "rows out"
# The merged output already holds every row of the secondary.
expect_exit 0 $hm -n -q --exit-code out.db secondary.db
expect_exit 0 $hm -q --exit-code -o again.db out.db secondary.db
# In place: 1 the first time, 0 the second, which has nothing to add.
cp primary.db live.db
expect_exit 1 $hm -q --exit-code --in-place live.db secondary.db
expect_exit 0 $hm -q --exit-code --in-place live.db secondary.db
expect_exit 0 $hm -n -q --exit-code --in-place live.db secondary.db
# Errors: their own codes, not 1.
expect_exit 66 $hm -n --exit-code primary.db missing.db
expect_exit 73 $hm --exit-code -o out.db primary.db secondary.db
no_leftovers
