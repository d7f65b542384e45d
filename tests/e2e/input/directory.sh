# A directory given as an input: exit 66, a message naming it.
. "$(dirname "$0")/../common.inc"
mkdir replica.db
expect_exit 66 $hm primary.db replica.db -o out.db
grep -q "cannot read replica.db: it is a directory" err
test ! -e out.db
test -z "$(ls -A replica.db)"
no_leftovers
