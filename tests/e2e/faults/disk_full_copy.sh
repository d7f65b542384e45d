# A full disk while the primary is copied (RLIMIT_FSIZE below the primary's 80 KiB: ulimit -f 64
# is 32 KiB in dash, 64 KiB in bash): exit 74 with a clear message naming the output, no output
# and no temporary file left.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
test "$(wc -c < primary.db)" -gt 65536
set +e
(trap '' XFSZ; ulimit -f 64; exec $hm primary.db secondary.db -o out.db) 2> err
got=$?
set -e
if [ "$got" != 74 ]; then
  echo "expected exit 74, got $got" >&2
  cat err >&2
  exit 1
fi
grep -q "out.db" err
grep -E -q -i "disk|I/O|space|write" err
test ! -e out.db
no_leftovers
