# --in-place and --output exclude each other.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm --in-place -o out.db primary.db secondary.db
grep -q 'excludes' err
