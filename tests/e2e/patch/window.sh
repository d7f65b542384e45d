# With --window the patch adds exactly the rows the plan with that window adds: the same rows as
# -o --window 2s, which are fewer than without the window (the failover duplicates stay out).
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
make_patch patch.sql --window 2s primary.db secondary.db
$hm --window 2s primary.db secondary.db -o out.db > /dev/null
grep -q '^-- Window: 2s;' patch.sql
cp primary.db target.db
apply_patch target.db patch.sql
added=$(($(rows out.db) - $(rows primary.db)))
test "$added" -lt 65
assert_eq "$added" "$(added_by_patch)" "rows added"
same_rows target.db out.db "--window 2s"
# The day with three outages too.
make_patch day.sql --window 2s day-primary.db day-secondary.db
$hm --window 2s day-primary.db day-secondary.db -o day-out.db > /dev/null
apply_patch day-primary.db day.sql
same_rows day-primary.db day-out.db "--window 2s, the day"
