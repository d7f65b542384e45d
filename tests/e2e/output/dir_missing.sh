# An output in a directory that does not exist: exit 73 naming it; the directory is not created.
. "$(dirname "$0")/../common.inc"
expect_exit 73 $hm primary.db secondary.db -o nowhere/out.db
grep -q "cannot create nowhere/out.db: no such directory" err
test ! -e nowhere
no_leftovers
