# A primary with AFTER INSERT triggers on click_events (one writes to an audit table, one calls
# load_extension): they must not fire while the tool appends rows, yet stay in the output's schema
# for the service.
. "$(dirname "$0")/../common.inc"
sqlite3 primary.db "CREATE TABLE audit(click_id, note);
  CREATE TRIGGER audit_clicks AFTER INSERT ON click_events BEGIN
    INSERT INTO audit VALUES (new.id, 'inserted');
  END;
  CREATE TRIGGER load_on_insert AFTER INSERT ON click_events BEGIN
    SELECT load_extension('/tmp/heatmap-merge-evil.so');
  END;
  CREATE TRIGGER abort_on_insert BEFORE INSERT ON click_events BEGIN
    SELECT RAISE(ABORT, 'trigger fired');
  END;"
before=$(cksum primary.db)
$hm primary.db secondary.db -o out.db > /dev/null
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq 0 "$(sqlite3 out.db 'SELECT count(*) FROM audit')" "audit rows in the output"
assert_eq "abort_on_insert audit_clicks load_on_insert" \
  "$(sqlite3 out.db "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name" | tr '\n' ' ' | sed 's/ $//')" \
  "triggers in the output"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity"
assert_eq "$before" "$(cksum primary.db)" "primary unchanged"
no_leftovers
