# A day with three outages and scattered failover duplicates: each outage is reported within
# five minutes of its true start and end, and nothing else is reported as an outage.
. "$(dirname "$0")/../common.inc"
$hm -n --format json day-primary.db day-secondary.db > report.json
tr -d ' \n' < report.json | grep -o '"outages":\[[^]]*\]' > outages
assert_eq 3 "$(grep -o '"rows"' outages | wc -l)" "outages found"
# True bounds (outages.sql): 02:00-02:45, 09:10-09:20, 17:00-19:30; clicks every 20 s.
for bound in '"start":"2026-03-02T02:00:00Z"' '"end":"2026-03-02T02:44:40Z"' \
             '"start":"2026-03-02T09:10:00Z"' '"end":"2026-03-02T09:19:40Z"' \
             '"start":"2026-03-02T17:00:00Z"' '"end":"2026-03-02T19:29:40Z"'; do
  grep -q "$bound" outages || { echo "missing $bound in $(cat outages)" >&2; exit 1; }
done
grep -q '"isolated_rows": 32' report.json
