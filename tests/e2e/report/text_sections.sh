# The text report answers the operator's questions: per-input first and last times, the
# outages, rows added per page, and clicks per hour around each outage.
. "$(dirname "$0")/../common.inc"
$hm -n day-primary.db day-secondary.db > report
grep -q '^day-primary.db  *primary  *3705  2026-03-02 00:00:00  2026-03-02 23:59:40$' report
grep -q '^  2026-03-02 09:10:00  2026-03-02 09:19:40 *9m40s *30$' report
grep -q '^  32 isolated failover clicks outside outages$' report
grep -q '^rows added per page$' report
grep -q '^clicks per hour around outage 2 (UTC)$' report
# The primary's gap and the secondary's fill-in, hour 17:00.
grep -q '^  2026-03-02 17:00 *0 *180 *180$' report
