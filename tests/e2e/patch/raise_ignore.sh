# A primary whose table has a BEFORE INSERT trigger that ignores the row (RAISE(IGNORE)): the
# patch fires no trigger, as -o and --in-place fire none, so every row goes in, and its count says
# so; "already there" counts only the rows the primary already held.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
sqlite3 primary.db "CREATE TRIGGER drop_clicks BEFORE INSERT ON click_events BEGIN
  SELECT RAISE(IGNORE);
END;"
make_patch patch.sql primary.db secondary.db
apply_patch primary.db patch.sql
grep -q -x 'heatmap-merge patch: added 65 of its 65 rows, 0 were already there' applied
assert_eq 465 "$(rows primary.db)" "rows in the primary"
# Applied again: each row is already there, and the count says so.
apply_patch primary.db patch.sql
grep -q -x 'heatmap-merge patch: added 0 of its 65 rows, 65 were already there' applied
