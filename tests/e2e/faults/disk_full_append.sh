# A full disk while the secondary's rows are appended (RLIMIT_FSIZE above the primary's size, far
# below the output's): exit 74 with a clear message naming the output, no output, no temporary
# file left.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
grow secondary.db 20000 s
# In WAL mode: a rollback-journal secondary is copied before anything is written, and the disk
# fills there first (disk_full_private_copy).
sqlite3 secondary.db 'PRAGMA journal_mode = WAL' > /dev/null
# ulimit -f 400 is 200 KiB in dash (512-byte blocks), 400 KiB in bash: above the 80 KiB primary,
# below the 1.5 MiB the output needs.
test "$(wc -c < primary.db)" -lt 200000
expect_disk_full 400 primary.db secondary.db -o out.db
grep -q "out.db" err
grep -E -q -i "disk|I/O|space|write" err
test ! -e out.db
no_leftovers
