# --peers --in-place where a later node cannot be merged into in place (here: it has a second
# hard link, which --in-place refuses with 73, as it refuses a file it cannot write): refused
# before anything is written or backed up, on any node, with that node's message and 73; the dry
# run says the same. Before, the first node was backed up and given rows, and only then was the
# second node's merge refused. Found by the adversarial pass of issue 28 (a failure of the
# second node after the first was written).
. "$(dirname "$0")/../common.inc"
cp primary.db a.db
cp secondary.db b.db
ln b.db b-link.db
cp a.db a.before
for dry in -n ""; do
  expect_exit 73 $hm $dry --peers --in-place --window 2s a.db b.db
  grep -q '^heatmap-merge: error: cannot merge into b.db in place: it has 2 hard links' err
done
cmp a.db a.before
test -z "$(ls | grep backup || true)"
