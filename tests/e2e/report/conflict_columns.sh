# A conflict sample (-v) names the column in which the kept and the dropped row differ, in every
# format: the sample replicas' conflict is row 7, whose user_agent the secondary shortened.
. "$(dirname "$0")/../common.inc"
$hm -n -v primary.db secondary.db > report 2>/dev/null
$hm -n -v --format markdown primary.db secondary.db > report.md 2>/dev/null
$hm -n -v --format html primary.db secondary.db > report.html 2>/dev/null
$hm -n -v --format json primary.db secondary.db > report.json 2>/dev/null
grep -q '^  these rows differ in user_agent:$' report
grep -qF -e '- `primary.db` row 7 (kept) and `secondary.db` row 7 differ in `user_agent`' report.md
grep -qF '<figcaption>These rows differ in <code>user_agent</code>.</figcaption>' report.html
# Only that column is marked, not the times or ids that differ in any matched pair.
assert_eq 1 "$(grep -c '<tr class="diff">' report.html)" "marked lines"
grep -qF '<tr class="diff"><th>user_agent</th>' report.html
tr -d ' \n' < report.json | grep -qF '"differing_columns":["user_agent"]'
