# A full disk while the primary is copied (RLIMIT_FSIZE below the primary's 80 KiB: ulimit -f 64
# is 32 KiB in dash, 64 KiB in bash): exit 74 with a clear message naming the output, no output
# and no temporary file left.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
test "$(wc -c < primary.db)" -gt 65536
expect_disk_full 64 primary.db secondary.db -o out.db
grep -q "out.db" err
grep -E -q -i "disk|I/O|space|write" err
test ! -e out.db
no_leftovers
