# An output whose parent is a file, not a directory: exit 73 saying that the parent is not a
# directory (not "no such directory"); nothing created.
. "$(dirname "$0")/../common.inc"
echo notes > notes.txt
expect_exit 73 $hm primary.db secondary.db -o notes.txt/out.db
grep -q "cannot create notes.txt/out.db: .*notes.txt is not a directory" err
expect_exit 73 $hm primary.db secondary.db -o notes.txt/sub/out.db
grep -q "notes.txt/sub is not a directory" err
assert_eq notes "$(cat notes.txt)" "notes.txt"
no_leftovers
