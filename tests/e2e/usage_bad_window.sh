# --window with something that is not a duration: exit 64 quoting it; nothing written.
. "$(dirname "$0")/common.inc"
expect_exit 64 $hm --window nonsense primary.db secondary.db -o out.db
grep -q -- "--window: 'nonsense' is not a duration" err
expect_exit 64 $hm --window -2s primary.db secondary.db -o out.db
test ! -e out.db
no_leftovers
