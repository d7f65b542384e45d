# The same file given twice, as PRIMARY and SECONDARY (by the same name, ./NAME, a symbolic link
# or a hard link: compared by device and inode), is refused with 64 naming both arguments, and
# nothing is written.
. "$(dirname "$0")/../common.inc"
ln -s primary.db link.db
ln primary.db hard.db
for other in primary.db ./primary.db link.db hard.db; do
  expect_exit 64 $hm -o out.db primary.db "$other"
  grep -qF "heatmap-merge: error: primary.db and $other are the same file: give each replica once" err
  test ! -e out.db
done
# Among several secondaries too, and with -n and --in-place.
expect_exit 64 $hm -n primary.db secondary.db link.db
grep -qF 'primary.db and link.db are the same file' err
expect_exit 64 $hm -n primary.db secondary.db ./secondary.db
grep -qF 'secondary.db and ./secondary.db are the same file' err
before=$(cksum primary.db)
expect_exit 64 $hm --in-place primary.db hard.db
assert_eq "$before" "$(cksum primary.db)" "primary unchanged"
test -z "$(ls -A | grep -F '.backup-')"
no_leftovers
