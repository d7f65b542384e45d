# The patch's header names the live primary as the target, not the snapshot it was made from:
# following the header must not patch the copy. It says which file the patch was made from and
# that that copy is not the target.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
cp primary.db gcp-snap.db
cp secondary.db aws-snap.db
make_patch patch.sql --window 2s gcp-snap.db aws-snap.db
sed '/^\.bail on$/,$d' patch.sql > header
lacks 'sqlite3 gcp-snap.db' header
grep -q -F -x -- '-- Apply it to the LIVE primary, the database file that the service writes, on its host:' header
grep -q -F -x -- '--   sqlite3 /path/of/the/live/primary/heatmap.db < patch.sql' header
grep -q -F -- 'Not to gcp-snap.db' header
# The placeholder cannot be opened by accident: the shell fails and nothing is written.
if sqlite3 /path/of/the/live/primary/heatmap.db < patch.sql > applied 2> apply.err; then
  echo "the header's command ran" >&2
  exit 1
fi
