# --window finer than a nanosecond is refused (exit 64), not rounded: 2.5ns used to become 3ns
# and match pairs 3 ns apart. Whole nanoseconds in any unit are taken.
. "$(dirname "$0")/../common.inc"
for window in 2.5ns 2.50ns 0.0001us 0.0000000001s 0.0000000000001m; do
  expect_exit 64 $hm --window $window -o out.db primary.db secondary.db
  grep -q -- "--window: '$window' is finer than a nanosecond" err
done
test ! -e out.db
for window in 3ns 3.0ns 0.001us 0.000000003s 1.5ms 2.000000001s 0.5m; do
  expect_exit 0 $hm -q -n --window $window primary.db secondary.db
done
