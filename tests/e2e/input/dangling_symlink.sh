# A symbolic link to a missing file: exit 66 naming it, and no database created at its target.
. "$(dirname "$0")/../common.inc"
ln -s gone/secondary.db link.db
ln -s missing.db link2.db
expect_exit 66 $hm primary.db link.db -o out.db
grep -q "cannot read link.db: .*symbolic link to a missing file" err
expect_exit 66 $hm primary.db link2.db -o out.db
grep -q "cannot read link2.db: .*symbolic link to a missing file" err
test ! -e missing.db
test ! -e out.db
no_leftovers
