# A full disk while a rollback-journal secondary is copied under its lock (every -o run copies one,
# since it would otherwise hold the lock through the output's flush): exit 74 naming the
# secondary and the directory of its private copy, and nothing left behind, no copy either.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../lock_hold.inc"
. "$(dirname "$0")/../common.inc"
grow secondary.db 20000 s
# ulimit -f 400: 200 KiB in dash, 400 KiB in bash; the secondary takes 1.5 MiB.
test "$(wc -c < secondary.db)" -gt 1000000
expect_disk_full 400 primary.db secondary.db -o out.db
grep -q "cannot write the private copy of secondary.db in .* (see --max-lock-hold): File too large" err
test ! -e out.db
no_leftovers
no_private_copies .
