# --window with something that is not a duration: exit 64 quoting it and saying what is wrong
# (no duration at all, a unit that is not supported with the list of those that are, over the
# limit with the limit named, a number without a unit); nothing written.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm --window nonsense primary.db secondary.db -o out.db
grep -q -- "--window: 'nonsense' is not a duration" err
expect_exit 64 $hm --window -2s primary.db secondary.db -o out.db
grep -q -- "--window: '-2s' is negative" err
expect_exit 64 $hm --window 169h primary.db secondary.db -o out.db
grep -q -- "--window: '169h' is over the limit of 168h" err
expect_exit 64 $hm --window 8d primary.db secondary.db -o out.db
grep -q -- "--window: '8d': the unit 'd' is not supported; use ns, us, ms, s, m (or min) or h" err
expect_exit 64 $hm --window 2 primary.db secondary.db -o out.db
grep -q -- "--window: '2' needs a unit, such as 2ms or 2s" err
test ! -e out.db
# Every unit the messages list is one --window takes, and the limit itself is allowed.
for window in 0 5000000ns 2000000us 1500ms 2s 0.5s 1m 1min 1h 168h; do
  $hm -q -n --window "$window" primary.db secondary.db
done
no_leftovers
