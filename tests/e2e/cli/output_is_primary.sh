# -o naming the primary itself, even with --force (and through another spelling of the path): exit 64
# and the primary is left byte for byte as it was.
. "$(dirname "$0")/../common.inc"
before=$(cksum primary.db secondary.db)
expect_exit 64 $hm --force primary.db secondary.db -o primary.db
grep -q "the output primary.db is the input primary.db" err
mkdir sub
expect_exit 64 $hm --force primary.db secondary.db -o ./sub/../primary.db
ln -s primary.db alias.db
expect_exit 64 $hm --force primary.db secondary.db -o alias.db
expect_exit 64 $hm --force primary.db secondary.db -o secondary.db
assert_eq "$before" "$(cksum primary.db secondary.db)" "inputs unchanged"
test -L alias.db
no_leftovers
