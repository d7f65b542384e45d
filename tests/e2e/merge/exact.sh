# The sample replicas merge into the primary plus the secondary's outage and retried clicks.
. "$(dirname "$0")/../common.inc"
$hm primary.db secondary.db -o out.db > report
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq 400 "$(rows out.db 'id <= 400')" "primary rows kept with their ids"
assert_eq "ok" "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity"
grep -q 'added 65 rows with ids 401 to 465' report
