# --peers --in-place where a node after the first has a hot journal (a writer was killed
# mid-transaction): every node is the primary of its own merge, which rolls the journal back, so
# the run rolls it back and merges every node (exit 0), whatever the order; before, the first
# node's merge read it as a secondary, read-only, and the run stopped with 75 until the nodes
# were given the other way round. The dry run still exits 75 (it writes nothing, no rollback).
# Found by the adversarial pass of issue 28 (a node with a hot journal).
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
cp primary.db a.db
cp secondary.db b.db
before=$(rows b.db)
make_hot_journal b.db
expect_exit 75 $hm -n --peers --in-place --window 2s --replay-window 1h a.db b.db
grep -q 'hot journal' err
expect_exit 0 $hm --peers --in-place --window 2s --replay-window 1h a.db b.db
grep -q 'rolled back the hot journal of b.db' err
test ! -s b.db-journal
assert_eq ok "$(sqlite3 b.db 'PRAGMA integrity_check')" "b's integrity"
test "$(rows b.db)" -gt "$before"
test "$(rows a.db)" -gt "$(rows primary.db)"
