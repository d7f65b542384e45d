# --peers --in-place where one node has a column that another lacks, without --alter-live-table:
# refused (65) before anything is written or backed up, on any node, naming the node that lacks
# it and the column; the dry run (-n --in-place) says the same. Before, the first node was
# backed up and given rows, then the second node's merge was refused: a half-merged pair of
# nodes. Found by the adversarial pass of issue 28 (nodes with different schemas).
. "$(dirname "$0")/../common.inc"
for node in a b; do
  sqlite3 $node.db < "$testdata/schema.sql"
done
sqlite3 a.db "ALTER TABLE click_events ADD COLUMN session TEXT"
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at, session) VALUES
  ('/a', 1, 1, '2026-02-18 10:00:00', 's')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/b', 2, 2, '2026-02-18 10:00:00')"
cp a.db a.before
cp b.db b.before
expect_exit 65 $hm -n --peers --in-place a.db b.db
mv err dry.err
expect_exit 65 $hm --peers --in-place a.db b.db
grep -q 'would add column "session" (only in a.db) to the live table "click_events" of b.db' err
diff dry.err err
cmp a.db a.before
cmp b.db b.before
test -z "$(ls | grep backup || true)"
# With the option each node is given the other's row.
expect_exit 0 $hm --peers --in-place --alter-live-table a.db b.db
assert_eq "2 2" "$(rows a.db) $(rows b.db)" "rows of a and b"
