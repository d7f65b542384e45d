# A primary with mode 640 gives an output with no permission the primary lacks (never 644 or 664),
# even under a permissive umask.
. "$(dirname "$0")/../common.inc"
chmod 640 primary.db
(umask 000; $hm primary.db secondary.db -o out.db > /dev/null)
mode=$(stat -c %a out.db)
assert_eq 0 "$(( 0$mode & ~0640 & 0777 ))" "bits beyond 640 in output mode $mode"
