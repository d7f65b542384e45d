# An output path that is a directory, with or without --force: exit 73; the directory stays as it was.
. "$(dirname "$0")/../common.inc"
mkdir out.db
touch out.db/keep
expect_exit 73 $hm primary.db secondary.db -o out.db
grep -q "cannot create out.db: it is a directory" err
expect_exit 73 $hm --force primary.db secondary.db -o out.db
grep -q "cannot create out.db: it is a directory" err
test -d out.db
assert_eq keep "$(ls -A out.db)" "directory content"
no_leftovers
