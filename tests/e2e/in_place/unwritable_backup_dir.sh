# --in-place --backup-dir DIR where DIR is missing, a file, or not writable by this user: refused
# with 73 and a message naming DIR, before anything is read or written; the dry run (-n) fails
# the same way, so that it predicts the real run.
. "$(dirname "$0")/../common.inc"
other_user_setup
before=$(cksum primary.db)
for dry in -n ""; do
  expect_exit 73 $hm $dry --in-place --backup-dir missing primary.db secondary.db
  grep -q 'cannot merge into primary.db in place: the backup directory missing cannot be used (No such file or directory); nothing was changed or backed up' err
  touch plain-file
  expect_exit 73 $hm $dry --in-place --backup-dir plain-file primary.db secondary.db
  grep -q 'the backup directory plain-file is not a directory' err
done
# Not writable: by nobody when root (root writes anywhere), the primary and its directory
# writable by that user so that only the backup directory is in the way.
mkdir backups
chmod 555 backups
if [ -n "$other_user" ]; then
  chown 65534 . primary.db
fi
for dry in -n ""; do
  expect_exit 73 as_other_user $hm $dry --in-place --backup-dir backups primary.db secondary.db
  grep -q 'cannot merge into primary.db in place: the backup directory backups is not writable (Permission denied)' err
done
assert_eq "$before" "$(cksum primary.db)" "primary unchanged"
test -z "$(ls -A backups)"
no_leftovers
