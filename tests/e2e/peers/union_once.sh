# -o --peers --replay-window on two write-to-both nodes (bench/peers-generate.sh, 10k clicks):
# the union holds every distinct click exactly once, the first node's own replayed duplicates
# left out as the second's are (no node is the primary); without --peers they stay.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/peers-generate.sh" 10000 nodes > /dev/null 2> gen.err
figure() {
  sed -n "s/^$1=//p" "$2"
}
test "$(figure replayed_dup_a nodes/truth.txt)" -gt 0
$hm -q --peers --window 1s --replay-window 24h -o union.db nodes/a.db nodes/b.db
sh "$SOURCE_DIR/bench/peers-check.sh" union.db nodes > union.check
assert_eq 0 "$(figure clicks_missing union.check)" "clicks lost"
assert_eq 0 "$(figure clicks_extra union.check)" "clicks held twice"
assert_eq "$(figure distinct_clicks nodes/truth.txt)" "$(rows union.db)" "rows of the union"
$hm -q --window 1s --replay-window 24h -o primary_kept.db nodes/a.db nodes/b.db
test "$(rows primary_kept.db)" -gt "$(rows union.db)"
