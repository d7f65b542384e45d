# -q silences the report, not the patch: -q -n --format sql writes the same patch to stdout (but
# for the time of its snapshots) and nothing to stderr; -v logs on stderr only, and --exit-code
# exits 1 (rows to add) with the same patch written.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
$hm -n --format sql primary.db secondary.db > loud.sql 2> loud.err
grep -v '^-- Made by heatmap-merge' loud.sql > loud.cmp
$hm -q -n --format sql primary.db secondary.db > quiet.sql 2> quiet.err
test ! -s quiet.err
grep -v '^-- Made by heatmap-merge' quiet.sql | cmp loud.cmp -
$hm -v -n --format sql primary.db secondary.db > verbose.sql 2> verbose.err
grep -q '^heatmap-merge: writing the patch took .* (65 rows)$' verbose.err
grep -v '^-- Made by heatmap-merge' verbose.sql | cmp loud.cmp -
expect_exit 1 $hm --exit-code -n --format sql primary.db secondary.db > exit-code.sql
grep -v '^-- Made by heatmap-merge' exit-code.sql | cmp loud.cmp -
apply_patch primary.db quiet.sql
assert_eq 65 "$(added_by_patch)" "rows added by the quiet patch"
