# --in-place into a primary that a live writer inserts into the whole time (one row per
# transaction, Python's 5 s busy timeout): the writer never sees an error, and every live row and
# every missing secondary row ends up in the primary exactly once.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
# 40,000 outage clicks on the secondary make the in-place insert take many short transactions.
grow secondary.db 40000 outage
primary_before=$(rows primary.db)
"$LIVE_WRITER" primary.db 4 /live > writer.out 2> writer.err &
writer=$!
# A failed assertion must not leave the writer running.
at_exit "kill $writer 2>/dev/null || true"
sleep 0.5
$hm --in-place --window 2s primary.db secondary.db > report 2> log
wait "$writer" || { cat writer.err >&2; exit 1; }
live=$(sed -n 's/^inserted \([0-9]*\) errors 0$/\1/p' writer.out)
# Each of the writer's inserts is an fsync: under load it may manage few; it must manage some.
test "$live" -gt 10
assert_eq "$live" "$(rows primary.db "page_url = '/live'")" "live rows"
assert_eq 40000 "$(rows primary.db "page_url LIKE '/outage/%'")" "outage rows, once each"
assert_eq $((primary_before + live + 40060)) "$(rows primary.db)" "rows in the primary"
assert_eq ok "$(sqlite3 primary.db 'PRAGMA integrity_check')" "integrity"
grep -q 'added 40060 rows to primary.db in place' report
grep -q 'heatmap-merge: backed up primary.db to ' log
