# The patch refuses any database but the primary it was made from: the secondary, the primary
# whose last row changed, went or holds the same bytes as a BLOB, a UTF-16 copy, an emptied one.
# The shell fails on a named CHECK constraint, which says what it checked, and the file is left
# as it was.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
make_patch patch.sql primary.db secondary.db
cp primary.db changed.db
sqlite3 changed.db "UPDATE click_events SET x = x + 0.5 WHERE id = 400"
cp primary.db gone.db
sqlite3 gone.db "DELETE FROM click_events WHERE id = 400"
cp primary.db retyped.db
sqlite3 retyped.db "UPDATE click_events SET user_agent = CAST(user_agent AS BLOB) WHERE id = 400"
sqlite3 primary.db .dump | { echo "PRAGMA encoding = 'UTF-16le';"; cat; } | sqlite3 utf16.db
cp primary.db empty.db
sqlite3 empty.db "DELETE FROM click_events"
for target in secondary.db changed.db gone.db retyped.db utf16.db empty.db; do
  cp "$target" before.db
  if sqlite3 "$target" < patch.sql > applied 2> apply.err; then
    echo "$target: the patch applied" >&2
    exit 1
  fi
  grep -q 'CHECK constraint failed: not the primary the patch was made from: it checked that' apply.err ||
    { echo "$target:" >&2; cat apply.err >&2; exit 1; }
  cmp before.db "$target"
  test ! -s applied
done
# The primary itself still takes it.
apply_patch primary.db patch.sql
assert_eq 65 "$(added_by_patch)" "rows added to the primary"
