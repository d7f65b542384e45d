# Merging the output again with the same secondary adds nothing, NULL-time rows included (issue
# 31, item 3); the merge's NULL-key rows are each kept once, as multisets: max(m, n) copies.
. "$(dirname "$0")/../common.inc"
null_time_pair
$hm -q -o out.db p.db s.db
assert_eq 11 "$(rows out.db)" "rows out"
assert_eq 2 "$(rows out.db "page_url = '/n' AND x = 1")" "the secondary's double NULL-time row"
assert_eq 1 "$(rows out.db "page_url IS NULL")" "the NULL-key row"
expect_exit 0 $hm -n -q --exit-code out.db s.db
# The secondary's 6 NULL-key rows are all in the output already: exact duplicates, none added.
$hm -n --format json out.db s.db > report.json
assert_eq "6 6 0" "$(jq -r '.inputs[1] | "\(.null_keys) \(.duplicates_exact - 4) \(.rows_added)"' \
  report.json)" "the secondary's NULL-key rows: counted, found, added"
$hm -q -o again.db out.db s.db
assert_eq 11 "$(rows again.db)" "rows merged again"
no_leftovers
