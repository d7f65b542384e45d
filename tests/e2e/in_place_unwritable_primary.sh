# --in-place by a user who may read the primary but not write it (nor its directory): refused
# with 73 and a message naming the primary, before any backup is written; the dry run predicts
# the same refusal instead of promising rows.
. "$(dirname "$0")/common.inc"
# Run as nobody when root (root may write any file), else take the write bits away.
if [ "$(id -u)" = 0 ]; then
  as_reader="setpriv --reuid=65534 --regid=65534 --clear-groups"
  chmod 755 .
else
  as_reader=""
  chmod a-w primary.db .
fi
for dry in -n ""; do
  expect_exit 73 $as_reader $hm $dry --in-place primary.db secondary.db
  grep -q 'cannot merge into primary.db in place: ' err
done
chmod u+w . 2>/dev/null || true
test -z "$(ls -A | grep -F '.backup-')"
test -z "$(ls -A | grep -F '.tmp-')"
