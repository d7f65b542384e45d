# A real double click (two equal rows) stays two rows: max(m, n), never m + n nor 1.
. "$(dirname "$0")/../common.inc"
$hm primary.db secondary.db -o out.db > /dev/null
assert_eq 2 "$(rows out.db "created_at = '2026-02-18 09:25:00'")" "history double click"
assert_eq 2 "$(rows out.db "created_at = '2026-02-18T10:03:00'")" "outage double click"
