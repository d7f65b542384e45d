# A dry run with -o -f predicts the real run's refusal of an output that a program still holds
# open with its -wal and -shm beside it (exit 75, the same message), as it predicts the other
# refusals of the output (found by the second breaker: the dry run exits 0, the real run 75).
. "$(dirname "$0")/../common.inc"
cp primary.db out.db
open_session out.db
say "PRAGMA journal_mode = WAL;" "INSERT INTO click_events SELECT * FROM click_events WHERE 0;"
test -e out.db-shm
expect_exit 75 $hm -f -o out.db primary.db secondary.db
cp err real.err
expect_exit 75 $hm -n -f -o out.db primary.db secondary.db
cmp real.err err || { echo "the dry run's message differs:" >&2; cat real.err err >&2; exit 1; }
