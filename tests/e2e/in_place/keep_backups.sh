# --keep-backups N after --in-place: the newest N of the primary's backups stay, the one just
# written among them; only files named as the tool names its backups of this primary are removed
# (not another primary's, nor a symbolic link, a directory or a name that merely resembles one).
# A run with nothing to add prunes too; a dry run removes nothing. Also from a config file.
. "$(dirname "$0")/../common.inc"
cp primary.db fresh.db
mkdir backups
for stamp in 20260101T000000Z 20260102T000000Z 20260103T000000Z 20260103T000000Z-2; do
  cp primary.db "backups/primary.db.backup-$stamp"
done
touch backups/other.db.backup-20260101T000000Z backups/primary.db.backup-20260101T000000Z.txt \
  backups/primary.db.backup-2026 backups/notes
ln -s ../primary.db backups/primary.db.backup-20250101T000000Z
mkdir backups/primary.db.backup-20250102T000000Z
keep="other.db.backup-20260101T000000Z primary.db.backup-20260101T000000Z.txt primary.db.backup-2026 notes primary.db.backup-20250101T000000Z primary.db.backup-20250102T000000Z"

# Usage: N must be at least 1, and only with --in-place.
expect_exit 64 $hm --in-place --keep-backups 0 primary.db secondary.db
grep -qF "heatmap-merge: error: --keep-backups: '0' is not a number of backups to keep (1 to 999999)" err
expect_exit 64 $hm -n --keep-backups 2 primary.db secondary.db
grep -q 'keep-backups.*in-place' err
# A dry run removes nothing.
$hm -n --in-place --backup-dir backups --keep-backups 1 primary.db secondary.db > /dev/null
assert_eq 10 "$(ls -A backups | wc -l)" "files after the dry run"

$hm --in-place --backup-dir backups --keep-backups 2 primary.db secondary.db > report 2> log
new=$(ls backups | grep -E '^primary\.db\.backup-2026(0[4-9]|1)' )
test -n "$new"
grep -qx "heatmap-merge: removed 3 old backups of primary.db (--keep-backups 2): primary.db.backup-20260101T000000Z, primary.db.backup-20260102T000000Z, primary.db.backup-20260103T000000Z" log
grep -q '^removed old backups (--keep-backups): primary.db.backup-20260101T000000Z,' report
# The symbolic link and the directory named like backups stay.
decoys="primary.db.backup-20250101T000000Z primary.db.backup-20250102T000000Z"
assert_eq "$decoys primary.db.backup-20260103T000000Z-2 $new" \
  "$(ls backups | grep -E '^primary\.db\.backup-[0-9T]*Z(-[0-9]+)?$' | tr '\n' ' ' | sed 's/ $//')" "kept"
for file in $keep; do
  test -e "backups/$file" || test -L "backups/$file"
done

# Nothing to add: no new backup, but the limit holds, from the config file.
printf 'in-place = true\nbackup-dir = "backups"\nkeep-backups = 1\nformat = "json"\n' > job.toml
$hm --config job.toml primary.db secondary.db > report.json
grep -A 2 '"removed_backups": \[' report.json > removed.json
grep -qx '      "backups/primary.db.backup-20260103T000000Z-2"' removed.json
grep -qx '    \],' removed.json
assert_eq "$decoys $new" \
  "$(ls backups | grep -E '^primary\.db\.backup-[0-9T]*Z(-[0-9]+)?$' | tr '\n' ' ' | sed 's/ $//')" \
  "kept after the second run"
# Without --keep-backups every backup stays (the default), beside the primary.
cp fresh.db p2.db
cp primary.db p2.db.backup-20260101T000000Z
$hm --in-place p2.db secondary.db > /dev/null 2> log
assert_eq 2 "$(ls | grep -c '^p2\.db\.backup-')" "backups of p2.db"
lacks removed log
no_leftovers
