# A patch applied to a database that is not its primary says what it checked and what it found:
# the snapshot's last row (row 400 of "click_events" in primary.db) missing, or different in some
# column, or text that is not UTF-8.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
make_patch patch.sql primary.db secondary.db
cp primary.db gone.db
sqlite3 gone.db "DELETE FROM click_events WHERE id = 400"
cp primary.db changed.db
sqlite3 changed.db "UPDATE click_events SET x = x + 0.5 WHERE id = 400"
sqlite3 primary.db .dump | { echo "PRAGMA encoding = 'UTF-16le';"; cat; } | sqlite3 utf16.db
refused() {
  if sqlite3 "$1" < patch.sql > applied 2> apply.err; then
    echo "$1: the patch applied" >&2
    exit 1
  fi
  grep -q -F -- "$2" apply.err || { echo "$1: expected '$2' in:" >&2; cat apply.err >&2; exit 1; }
}
refused gone.db 'it checked that row 400 of "click_events", the last row of the snapshot of primary.db, is still there, and this database has no row 400'
refused changed.db 'it checked that row 400 of "click_events", the last row of the snapshot of primary.db, is as it was in every column (value and type), and this database'"'"'s row 400 differs'
refused utf16.db 'it checked that this database stores text as UTF-8, as primary.db does, and it does not'
