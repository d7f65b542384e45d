# A run as root, then the same job as another user who may write the output: the lock file the
# root run left (.NAME.lock, which stays) does not keep the second run out; both outputs are
# complete. Also when root's lock file is one an older version made 0600.
. "$(dirname "$0")/../common.inc"
[ "$(id -u)" = 0 ] || skip "needs root, to run the job as root and then as nobody"
as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
# Everything nobody needs, where nobody can reach it (the scratch directory may not be), in a
# directory that nobody may write, like the service user's /srv/merged.
work=$(mktemp -d /tmp/heatmap-merge-other-user.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cp "$hm" primary.db secondary.db "$work"
mkdir "$work/merged"
chown 65534:65534 "$work/merged"
cd "$work"
(umask 077 && ./heatmap-merge primary.db secondary.db -o merged/heatmap.db > /dev/null)
assert_eq 465 "$(rows merged/heatmap.db)" "rows of the root run"
assert_eq ok "$(sqlite3 merged/heatmap.db 'PRAGMA integrity_check')" "integrity_check of the root run"
expect_exit 0 $as_nobody ./heatmap-merge --force primary.db secondary.db -o merged/heatmap.db
assert_eq 465 "$(rows merged/heatmap.db)" "rows of nobody's run"
assert_eq ok "$(sqlite3 merged/heatmap.db 'PRAGMA integrity_check')" "integrity_check of nobody's run"
assert_eq 65534 "$(stat -c %u merged/heatmap.db)" "owner of nobody's output"
# A lock file that an older version, run as root, made 0600: the next root run opens it up.
chmod 600 merged/.heatmap.db.lock
chown 0:0 merged/.heatmap.db.lock
./heatmap-merge --force primary.db secondary.db -o merged/heatmap.db > /dev/null
expect_exit 0 $as_nobody ./heatmap-merge --force primary.db secondary.db -o merged/heatmap.db
assert_eq 465 "$(rows merged/heatmap.db)" "rows of nobody's second run"
assert_eq ok "$(sqlite3 merged/heatmap.db 'PRAGMA integrity_check')" "integrity_check of nobody's second run"
