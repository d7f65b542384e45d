# Neither -o nor -n: exit 64 saying what to add; nothing written.
. "$(dirname "$0")/../common.inc"
before=$(ls -A)
expect_exit 64 $hm primary.db secondary.db
grep -q -- "--output PATH, or use --in-place or --dry-run" err
assert_eq "$before" "$(ls -A | grep -v -x err)" "files in the directory"
