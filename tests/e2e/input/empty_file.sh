# A zero-length input is not taken for an empty database: exit 65 naming it, nothing written.
. "$(dirname "$0")/../common.inc"
: > empty.db
expect_exit 65 $hm primary.db empty.db -o out.db
grep -q "empty.db is empty (0 bytes), not a SQLite database" err
test ! -e out.db
test ! -s empty.db
no_leftovers
