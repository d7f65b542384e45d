# --in-place through a link to the primary file: the lock, the backup and the journal are the
# real file's, so a run naming the file by its real path keeps one through the link out, and
# nothing is written beside the link.
. "$(dirname "$0")/../common.inc"
mkdir -p volume srv
mv primary.db volume/heatmap.db
ln -s ../volume/heatmap.db srv/gcp.db
# A run that names the real path holds the lock: one through the link must wait its turn (75).
flock -o volume/.heatmap.db.lock sleep 5 &
holder=$!
sleep 0.3
expect_exit 75 $hm --in-place srv/gcp.db secondary.db
grep -q 'another heatmap-merge is writing srv/gcp.db' err
kill "$holder"
$hm -o want.db volume/heatmap.db secondary.db > /dev/null
$hm --in-place srv/gcp.db secondary.db > report 2> log
assert_eq "$(rows want.db)" "$(rows volume/heatmap.db)" "rows after the merge"
ls volume/heatmap.db.backup-* > /dev/null
assert_eq "gcp.db" "$(ls -A srv)" "nothing written beside the link"
