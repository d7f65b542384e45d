# --replay-window on two write-to-both nodes (bench/peers-generate.sh, 10k clicks, arrival
# times): -o --window 1s --replay-window 24h holds every distinct click, each once but for the
# primary's own replayed duplicates, which stay; and a second merge of the output adds nothing.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/peers-generate.sh" 10000 nodes > /dev/null 2> gen.err
figure() {
  sed -n "s/^$1=//p" "$2"
}
distinct=$(figure distinct_clicks nodes/truth.txt)
primary_dups=$(figure replayed_dup_a nodes/truth.txt)
test "$primary_dups" -gt 0 || { echo "the nodes hold no replayed duplicate" >&2; exit 1; }

# The window alone leaves the replays apart: clicks twice.
$hm --window 1s -o window.db nodes/a.db nodes/b.db > /dev/null
sh "$SOURCE_DIR/bench/peers-check.sh" window.db nodes > window.check || true
test "$(figure clicks_extra window.check)" -gt "$((primary_dups + 100))"

$hm --window 1s --replay-window 24h -o out.db nodes/a.db nodes/b.db > /dev/null
sh "$SOURCE_DIR/bench/peers-check.sh" out.db nodes > out.check || true
assert_eq 0 "$(figure clicks_missing out.check)" "clicks lost"
assert_eq 0 "$(figure rows_unknown out.check)" "rows of no click"
# What is more than once is the primary's own copies: -o never changes the primary.
# (clicks_extra counts clicks: one may hold two of them.)
test "$(figure clicks_extra out.check)" -le "$primary_dups"
assert_eq "$((distinct + primary_dups))" "$(rows out.db)" "rows of the output"

# A rerun adds nothing: the output against the secondary again.
$hm --window 1s --replay-window 24h -o again.db out.db nodes/b.db > /dev/null
assert_eq "$(rows out.db)" "$(rows again.db)" "rows after a second merge"
