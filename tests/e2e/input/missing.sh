# A missing input: exit 66, a message naming it, and no empty database left behind.
. "$(dirname "$0")/../common.inc"
expect_exit 66 $hm primary.db secondary-typo.db -o out.db
grep -q "heatmap-merge: error: cannot read secondary-typo.db: No such file or directory" err
test ! -e secondary-typo.db
test ! -e out.db
no_leftovers
