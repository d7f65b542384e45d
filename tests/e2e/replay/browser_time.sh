# --replay-window with the browser's time (bench/peers-generate.sh TIME=browser, 10k clicks):
# a replayed copy carries its original's instant, so across nodes it is an exact duplicate, and
# on the secondary two identical rows at one instant, which the replay window pairs (the plain
# merge keeps them, as a double click); every distinct click is held, each once but for the
# primary's own copies.
. "$(dirname "$0")/../common.inc"
TIME=browser sh "$SOURCE_DIR/bench/peers-generate.sh" 10000 nodes > /dev/null 2> gen.err
figure() {
  sed -n "s/^$1=//p" "$2"
}
distinct=$(figure distinct_clicks nodes/truth.txt)
primary_dups=$(figure replayed_dup_a nodes/truth.txt)
test "$(figure replayed_dup_b nodes/truth.txt)" -gt 0 || { echo "no duplicate on b" >&2; exit 1; }

$hm -o plain.db nodes/a.db nodes/b.db > /dev/null
test "$(rows plain.db)" -gt "$((distinct + primary_dups))"

$hm --replay-window 10m -o out.db nodes/a.db nodes/b.db > /dev/null
sh "$SOURCE_DIR/bench/peers-check.sh" out.db nodes > out.check || true
assert_eq 0 "$(figure clicks_missing out.check)" "clicks lost"
# (clicks_extra counts clicks: one may hold two of them.)
test "$(figure clicks_extra out.check)" -le "$primary_dups"
assert_eq "$((distinct + primary_dups))" "$(rows out.db)" "rows of the output"
