# The patch applied with the sqlite3 shell to the primary gives the rows (ignoring ids) that -o
# writes: for the sample replicas, the WAL secondary and the day with three outages.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
for pair in "primary.db secondary.db 65" "primary.db secondary-wal.db 65" \
  "day-primary.db day-secondary.db -"; do
  # shellcheck disable=SC2086 # three words
  set -- $pair
  rm -f target.db out.db
  make_patch patch.sql "$1" "$2"
  $hm "$1" "$2" -o out.db > /dev/null
  cp "$1" target.db
  apply_patch target.db patch.sql
  added=$(($(rows out.db) - $(rows "$1")))
  if [ "$3" != - ]; then
    assert_eq "$3" "$added" "$2: rows the plan adds"
  fi
  test "$added" -gt 0
  assert_eq "heatmap-merge patch: added $added of its $added rows, 0 were already there" \
    "$(cat applied)" "$2: the patch's message"
  same_rows target.db out.db "$2"
  assert_eq ok "$(sqlite3 target.db 'PRAGMA integrity_check')" "$2: integrity"
  # The rows go in after the primary's own, which keep their ids.
  assert_eq "$(rows "$1")" "$(rows target.db "id <= (SELECT max(id) FROM click_events) - $added")" \
    "$2: the primary's rows first"
  assert_eq "" "$(sqlite3 target.db "SELECT name FROM sqlite_schema WHERE name LIKE 'heatmap%'")" \
    "$2: no table left in the primary"
done
