# Clicks are personal data: a primary readable by its owner only (600) gives an output no looser,
# whatever the umask.
. "$(dirname "$0")/../common.inc"
chmod 600 primary.db
(umask 022; $hm primary.db secondary.db -o out.db > /dev/null)
mode=$(stat -c %a out.db)
case $mode in
  600|400|200|0) ;;
  *) echo "output mode $mode is looser than the primary's 600" >&2; exit 1 ;;
esac
assert_eq 0 "$(( 0$mode & 077 ))" "group and other bits"
