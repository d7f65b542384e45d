# Only a primary, no secondary: exit 64 saying a SECONDARY is expected; nothing written.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm primary.db -o out.db
grep -q "expected PRIMARY and at least one SECONDARY" err
test ! -e out.db
no_leftovers
