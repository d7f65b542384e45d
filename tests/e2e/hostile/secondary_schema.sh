# A secondary whose schema holds triggers and a view that call functions (load_extension, writes
# to an audit table): the merge runs and is correct, the secondary is unchanged (its triggers never
# fired), and nothing of the secondary's schema reaches the output.
. "$(dirname "$0")/../common.inc"
sqlite3 secondary.db "CREATE TABLE audit(what, at);
  CREATE TRIGGER spy_insert AFTER INSERT ON click_events BEGIN
    INSERT INTO audit VALUES ('insert ' || new.id, load_extension('/tmp/heatmap-merge-evil.so'));
  END;
  CREATE TRIGGER spy_update AFTER UPDATE ON click_events BEGIN
    INSERT INTO audit VALUES ('update', randomblob(8));
  END;
  CREATE TRIGGER spy_delete BEFORE DELETE ON click_events BEGIN
    SELECT load_extension('/tmp/heatmap-merge-evil.so');
  END;
  CREATE VIEW click_stats AS
    SELECT page_url, count(*) AS n, load_extension('/tmp/heatmap-merge-evil.so') AS boom
    FROM click_events GROUP BY page_url;"
before=$(cksum secondary.db)
$hm primary.db secondary.db -o out.db > /dev/null
assert_eq 465 "$(rows out.db)" "rows out"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity"
assert_eq "$before" "$(cksum secondary.db)" "secondary unchanged"
assert_eq 0 "$(sqlite3 secondary.db 'SELECT count(*) FROM audit')" "secondary audit"
assert_eq "" "$(sqlite3 out.db "SELECT name FROM sqlite_schema
  WHERE name IN ('audit', 'spy_insert', 'spy_update', 'spy_delete', 'click_stats')")" \
  "secondary schema in the output"
no_leftovers
