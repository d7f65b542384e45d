# A primary that already holds every row (after --in-place) gets a patch that says so, holds no
# statement that writes, and changes nothing.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
$hm --in-place primary.db secondary.db > /dev/null 2>&1
make_patch patch.sql primary.db secondary.db
grep -q '^-- Plan: 0 rows to add, in 0 transactions$' patch.sql
cp primary.db before.db
apply_patch primary.db patch.sql
assert_eq "heatmap-merge patch: nothing to add" "$(cat applied)" "the patch's message"
cmp before.db primary.db
# Nothing is written: no statement touches the primary.
if grep -v '^--' patch.sql | grep -q -i -E 'insert|create|begin'; then
  echo "the empty patch holds statements:" >&2
  cat patch.sql >&2
  exit 1
fi
