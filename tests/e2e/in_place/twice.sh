# Running --in-place twice changes nothing the second time: same bytes, no second backup.
. "$(dirname "$0")/../common.inc"
$hm --in-place primary.db secondary.db > first 2>&1
assert_eq 465 "$(rows primary.db)" "rows after the first run"
backups=$(ls | grep -c '^primary.db.backup-')
assert_eq 1 "$backups" "backups after the first run"
before=$(cksum primary.db)
$hm --in-place primary.db secondary.db > second 2>&1
grep -q 'nothing to add' second
assert_eq "$before" "$(cksum primary.db)" "primary after the second run"
assert_eq 1 "$(ls | grep -c '^primary.db.backup-')" "backups after the second run"
