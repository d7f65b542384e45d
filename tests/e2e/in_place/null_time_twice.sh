# Rows with a NULL time (or key column) go in once: a second --in-place run adds nothing, keeps no
# second backup, and -n --exit-code then says there is nothing to do (issue 31, item 3).
. "$(dirname "$0")/../common.inc"
null_time_pair
# 6 + the secondary's 3 NULL-time rows, its NULL-key row and the second copy of '/d'.
expect_exit 1 $hm -q --exit-code --in-place p.db s.db
assert_eq 11 "$(rows p.db)" "rows after the first run"
assert_eq 2 "$(rows p.db "page_url = '/d'")" "copies of the double NULL-time row"
assert_eq 1 "$(ls | grep -c '^p.db.backup-')" "backups after the first run"
before=$(cksum p.db)
$hm --in-place p.db s.db > second 2>&1
grep -q 'nothing to add' second
assert_eq "$before" "$(cksum p.db)" "primary after the second run"
assert_eq 1 "$(ls | grep -c '^p.db.backup-')" "backups after the second run"
expect_exit 0 $hm -n -q --exit-code --in-place p.db s.db
expect_exit 0 $hm -q --exit-code --in-place p.db s.db
assert_eq 11 "$(rows p.db)" "rows after the third run"
no_leftovers
