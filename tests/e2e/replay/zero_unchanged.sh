# --replay-window 0, the default, changes nothing: the same output and the same report as without
# the option, on the sample replicas and on write-to-both nodes; a value is read as --window's.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/peers-generate.sh" 2000 nodes > /dev/null 2> gen.err
for pair in "primary.db secondary.db" "nodes/a.db nodes/b.db"; do
  # shellcheck disable=SC2086
  $hm --window 1s -n --format json $pair | grep -v '"seconds"' > without.json
  # shellcheck disable=SC2086
  $hm --window 1s --replay-window 0 -n --format json $pair | grep -v '"seconds"' > zero.json
  cmp without.json zero.json
  rm -f without.db zero.db
  # shellcheck disable=SC2086
  $hm --window 1s -o without.db $pair > /dev/null
  # shellcheck disable=SC2086
  $hm --window 1s --replay-window 0ms -o zero.db $pair > /dev/null
  assert_eq "$(sqlite3 without.db 'SELECT * FROM click_events ORDER BY id')" \
    "$(sqlite3 zero.db 'SELECT * FROM click_events ORDER BY id')" "rows of $pair"
done
expect_exit 64 $hm --replay-window 2 -n primary.db secondary.db
grep -q -- '--replay-window' err
expect_exit 64 $hm --replay-window 1d -n primary.db secondary.db
printf 'replay-window = "10m"\n' > config.toml
$hm --config config.toml -n primary.db secondary.db > /dev/null
