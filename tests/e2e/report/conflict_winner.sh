# With two secondaries, the reports say which row won each conflict: the primary's, or the row
# the first secondary added (the second's copies of the outage's clicks, with another user agent,
# conflict with those), not "the primary's row wins" for all of them.
. "$(dirname "$0")/../common.inc"
cp secondary.db other.db
sqlite3 other.db "UPDATE click_events SET user_agent = 'changed'
  WHERE created_at >= '2026-02-18T10:00:00' AND created_at < '2026-02-18T10:20:00'"
$hm -n primary.db secondary.db other.db > report
tr '\n' ' ' < report | grep -q 'conflicts: 63 duplicates whose other columns differ from the row kept; the *primary.s row wins in 3, the row an earlier secondary added in 60'
$hm -n --format markdown primary.db secondary.db other.db > report.md
grep -q "the primary's row wins in 3, the row an earlier secondary added in 60\.$" report.md
$hm -n --format html primary.db secondary.db other.db > report.html
grep -q "the primary&#39;s row wins in 3, the row an earlier secondary added in 60\.\|the primary's row wins in 3, the row an earlier secondary added in 60\." report.html
$hm -n --format json primary.db secondary.db other.db > report.json
assert_eq '[[0,0],[1,0],[62,60]]' "$(jq -c '[.inputs[] | [.conflicts, .conflicts_with_added]]' report.json)" "json"
# Against the primary alone, the primary's row wins, as before.
$hm -n primary.db secondary.db > report
tr '\n' ' ' < report | grep -q 'conflicts: 1 duplicate whose other columns differ from the row kept; the *primary.s row wins'
