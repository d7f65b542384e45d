# --in-place writes a consistent backup of the primary first (here under --backup-dir), with
# the primary's permissions, and prints its path.
. "$(dirname "$0")/../common.inc"
mkdir backups
chmod 640 primary.db
original=$(cksum < primary.db)
$hm --in-place --backup-dir backups primary.db secondary.db > report 2> log
backup=$(ls backups/primary.db.backup-*)
assert_eq "$original" "$(cksum < "$backup")" "backup content"
assert_eq 640 "$(stat -c %a "$backup")" "backup permissions"
grep -q "backed up primary.db to .*$backup" log
grep -q "^backup: .*$backup" report
