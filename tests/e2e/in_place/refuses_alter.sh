# --in-place does not add a secondary's new column to the live table unless asked: the service's
# positional INSERT INTO click_events VALUES (...) would fail on every click after it. Exit 65
# naming the column, the secondary and --alter-live-table, before anything is backed up; the dry
# run of --in-place says the same with the same exit status; -o still adds the column.
. "$(dirname "$0")/../common.inc"
cp secondary.db extra.db
sqlite3 extra.db "ALTER TABLE click_events ADD COLUMN session_id TEXT"
before=$(cksum primary.db)
expect_exit 65 $hm --in-place primary.db extra.db
cp err real.err
grep -q '"session_id"' err
grep -q 'extra.db' err
grep -q -- '--alter-live-table' err
assert_eq "$before" "$(cksum primary.db)" "primary unchanged"
ls -A | grep -q 'backup-' && { echo "a backup was written" >&2; ls -A >&2; exit 1; }
# The dry run predicts it, word for word.
expect_exit 65 $hm -n --in-place primary.db extra.db
cmp real.err err
# Also in a quiet run, and with --format json as an error object.
expect_exit 65 $hm -q --in-place primary.db extra.db
grep -q -- '--alter-live-table' err
# A new output may take the column: no service writes to it yet.
$hm -o out.db primary.db extra.db > report
grep -q 'column added: "session_id" (only in extra.db)' report
sqlite3 out.db "SELECT session_id FROM click_events LIMIT 1" > /dev/null
