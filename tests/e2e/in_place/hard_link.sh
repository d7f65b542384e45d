# --in-place refuses a primary with a second hard link: SQLite names a transaction's journal
# after the name the file was opened by, so a writer through the other link could not roll back
# ours. The dry run predicts the refusal; nothing is changed or backed up.
. "$(dirname "$0")/../common.inc"
ln primary.db other-name.db
before=$(cksum < primary.db)
expect_exit 73 $hm --in-place primary.db secondary.db
grep -q 'primary.db.*has 2 hard links' err
expect_exit 73 $hm --in-place -n primary.db secondary.db
assert_eq "$before" "$(cksum < primary.db)" "primary"
test -z "$(ls | grep 'backup-' || true)"
