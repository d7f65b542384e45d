# --in-place by a user who may read the primary but not write it (nor its directory): refused
# with 73 and a message naming the primary, before any backup is written; the dry run predicts
# the same refusal instead of promising rows.
. "$(dirname "$0")/../common.inc"
# By nobody when root (root may write any file), else with the write bits taken away.
other_user_setup
if [ -n "$other_user" ]; then
  chmod 755 .
else
  : > err # expect_exit's, made before the directory is read-only
  chmod a-w primary.db .
fi
# The same user reads both replicas: the refusal is about writing, not about reaching the files.
as_other_user $hm -n primary.db secondary.db >/dev/null
for dry in -n ""; do
  expect_exit 73 as_other_user $hm $dry --in-place primary.db secondary.db
  grep -q 'cannot merge into primary.db in place: it is not writable (Permission denied)' err
done
chmod u+w . 2>/dev/null || true
test -z "$(ls -A | grep -F '.backup-')"
test -z "$(ls -A | grep -F '.tmp-')"
