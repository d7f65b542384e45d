# --peers refusals, exit 64 before anything is read or written: with --format sql (a patch is
# for one primary), and with --backup-dir when two nodes share a file name (their backups would
# be taken for one node's by --keep-backups).
. "$(dirname "$0")/../common.inc"
cp primary.db a.db
cp secondary.db b.db
expect_exit 64 $hm --peers -n --format sql a.db b.db
grep -q -- "--peers with --format sql: a patch is for one primary" err
mkdir -p gcp aws backups
cp primary.db gcp/heatmap.db
cp secondary.db aws/heatmap.db
cp gcp/heatmap.db gcp.before
expect_exit 64 $hm --peers --in-place --backup-dir backups gcp/heatmap.db aws/heatmap.db
grep -q "the nodes gcp/heatmap.db and aws/heatmap.db are both named heatmap.db" err
cmp gcp/heatmap.db gcp.before
assert_eq 0 "$(ls backups | wc -l)" "backups written"
