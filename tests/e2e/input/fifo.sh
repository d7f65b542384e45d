# A FIFO given as an input (nobody writes to it): exit 66 at once, never a hang waiting for a writer.
. "$(dirname "$0")/../common.inc"
mkfifo pipe.db
expect_exit 66 timeout 10 $hm primary.db pipe.db -o out.db
grep -q "cannot read pipe.db: not a regular file" err
test -p pipe.db
test ! -e out.db
no_leftovers
