# --max-lock-hold: a rollback-journal input whose copy would hold its read lock past the budget
# is refused with exit 75 before any lock, naming the file, the estimate and the advice (WAL
# mode, or a quiet period with a larger --max-lock-hold), in a dry run and with -o alike.
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
outage_rows secondary.db 8000 # about 32 MB: its copy takes well over 1 ms
expect_exit 75 $hm -n --max-lock-hold 1ms primary.db secondary.db
grep -q 'secondary.db uses a rollback journal' err
grep -q 'past --max-lock-hold 1 ms' err
grep -q 'WAL mode (PRAGMA journal_mode = WAL)' err
grep -q 'quiet period with a larger --max-lock-hold' err
expect_exit 75 $hm -o out.db --max-lock-hold 1ms secondary.db primary.db
grep -q 'secondary.db uses a rollback journal' err
test ! -e out.db
no_leftovers
no_private_copies .
# The advice holds: in WAL mode the same files are read, however small the budget.
sqlite3 primary.db 'PRAGMA journal_mode = WAL' > /dev/null
sqlite3 secondary.db 'PRAGMA journal_mode = WAL' > /dev/null
$hm -n -q --max-lock-hold 1ms primary.db secondary.db
# And a quiet period with a larger budget: read from a copy, or in place.
sqlite3 secondary.db 'PRAGMA journal_mode = DELETE' > /dev/null
$hm -n -q --max-lock-hold 1h primary.db secondary.db
