# --format markdown gives tables to paste into an incident ticket.
. "$(dirname "$0")/../common.inc"
$hm -n --format markdown day-primary.db day-secondary.db > report.md
grep -q '^## heatmap-merge dry run$' report.md
grep -q '^| start (UTC) | end (UTC) | duration | rows |$' report.md
grep -q '^| 2026-03-02 17:00:00 | 2026-03-02 19:29:40 | 2h29m | 450 |$' report.md
grep -q '^### Rows added per page$' report.md
grep -q '^### Clicks per hour around outage 3$' report.md
