# A SQL patch adds NULL-time rows once: applied twice it adds nothing the second time, and a new
# patch made after it has nothing to add either (issue 31, item 3).
. "$(dirname "$0")/../common.inc"
null_time_pair
$hm -n --format sql p.db s.db > patch.sql
sqlite3 p.db < patch.sql > applied
grep -q 'added 5 of its 5 rows, 0 were already there' applied
assert_eq 11 "$(rows p.db)" "rows after the patch"
sqlite3 p.db < patch.sql > again
grep -q 'added 0 of its 5 rows, 5 were already there' again
assert_eq 11 "$(rows p.db)" "rows after the patch applied twice"
expect_exit 0 $hm -n -q --exit-code p.db s.db
$hm -n --format sql p.db s.db > second.sql
sqlite3 p.db < second.sql > applied-second
assert_eq 11 "$(rows p.db)" "rows after a second patch"
no_leftovers
