# --peers --in-place on two write-to-both nodes (bench/peers-generate.sh, 10k clicks, arrival
# times, the default shapes): each node is given what it lacks, once each, never a second copy
# of a click it holds, by truth; each node given rows has a backup from before; the dry run
# predicts each node's count; and a second run gives nothing to either.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/peers-generate.sh" 10000 nodes > /dev/null 2> gen.err
figure() {
  sed -n "s/^$1=//p" "$2"
}
mkdir live
cp nodes/a.db nodes/b.db live/
run() {
  $hm --peers --window 1s --replay-window 24h --format json "$@" live/a.db live/b.db
}
given() {
  python3 -c 'import json, sys; print(" ".join(str(n["rows_added"]) for n in json.load(open(sys.argv[1]))["nodes"]))' "$1"
}
run -n > predicted.json
run --in-place > merged.json
assert_eq "$(given predicted.json)" "$(given merged.json)" "rows given per node, predicted and done"
test "$(given merged.json)" != "0 0" || { echo "the nodes lacked nothing" >&2; exit 1; }
# peers-check: each click a node held stays as often as it was, each click it lacked once.
sh "$SOURCE_DIR/bench/peers-check.sh" --as a live/a.db nodes
sh "$SOURCE_DIR/bench/peers-check.sh" --as b live/b.db nodes
# A backup from before of each node that was given rows.
for node in a b; do
  if [ "$(rows "nodes/$node.db")" != "$(rows "live/$node.db")" ]; then
    backup=$(ls live/"$node".db.backup-*)
    assert_eq "$(rows "nodes/$node.db")" "$(rows "$backup")" "rows of $node's backup"
  fi
done
run --in-place > again.json
assert_eq "0 0" "$(given again.json)" "rows given by a second run"
