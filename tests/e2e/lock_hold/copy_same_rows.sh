# --max-lock-hold: a rollback-journal input too large to read within the budget, but not to copy,
# is read from a private copy made under its lock; the plan is the one of a read in place, the
# merge the one of a copy made whatever the budget, and no copy is left behind.
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
# About 82 MB: read in place, about 0.61 s of lock at the 128 MiB/s assumed; copied at more than
# 150 MB/s, within 550 ms.
outage_rows secondary.db 20000
mkdir spill
# Only a dry run's report reads in place: it holds the lock through no flush, write or pipe.
$hm -v -n --format json --max-lock-hold 1h primary.db secondary.db > in-place.json 2> in-place.log
lacks 'private copy' in-place.log
set +e
TMPDIR=$PWD/spill $hm -v -n --format json --max-lock-hold 550ms primary.db secondary.db \
  > dry.json 2> dry.log
status=$?
set -e
[ "$status" = 0 ] || { skip_if_slow_copy dry.log; cat dry.log >&2; exit 1; }
grep -q 'secondary.db uses a rollback journal: read in place, the run would hold its read lock for about' dry.log
grep -q 'copied .*secondary.db in .* under its read lock' dry.log
assert_eq "$(grep -v '"seconds"' in-place.json | md5sum)" "$(grep -v '"seconds"' dry.json | md5sum)" \
  "the plan read in place and from the copy"
# A new output is flushed with the lock let go: copied under any budget.
$hm -v -o plain.db --max-lock-hold 1h primary.db secondary.db > plain.report 2> plain.log
grep -q "secondary.db uses a rollback journal: read in place, the run would hold its read lock through the output's flush to disk" plain.log
set +e
$hm -v -o copy.db --max-lock-hold 550ms primary.db secondary.db > copy.report 2> copy.log
status=$?
set -e
[ "$status" = 0 ] || { skip_if_slow_copy copy.log; cat copy.log >&2; exit 1; }
grep -q 'it is read from a private copy made under the lock instead' copy.log
assert_eq "$(sqlite3 plain.db .dump | md5sum)" "$(sqlite3 copy.db .dump | md5sum)" "the merge"
assert_eq "$(rows plain.db)" "$(sed -n 's/.*"rows_out": *\([0-9]*\).*/\1/p' dry.json | head -1)" \
  "the dry run's rows out"
no_leftovers
no_private_copies .
no_private_copies spill
