# A table and columns named with quotes, semicolons and comment markers: the patch quotes them
# everywhere (its check, its tables, its index on the time column) and adds the 65 rows; the
# table named in the name, x, is still there.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
for db in primary.db secondary.db; do
  sqlite3 "$db" "ALTER TABLE click_events RENAME TO \"clicks\"\"; DROP TABLE x; --\";
    ALTER TABLE \"clicks\"\"; DROP TABLE x; --\" RENAME COLUMN page_url TO \"page url'); /* --\";
    ALTER TABLE \"clicks\"\"; DROP TABLE x; --\" RENAME COLUMN created_at TO \"at\"\"; --\";
    CREATE TABLE x(keep);"
done
make_patch patch.sql --table 'clicks"; DROP TABLE x; --' --time-column 'at"; --' \
  --key "page url'); /* --,x,y" primary.db secondary.db
apply_patch primary.db patch.sql
assert_eq 65 "$(added_by_patch)" "rows added"
assert_eq 465 "$(sqlite3 primary.db "SELECT count(*) FROM \"clicks\"\"; DROP TABLE x; --\"")" "rows"
assert_eq x "$(sqlite3 primary.db "SELECT name FROM sqlite_schema WHERE name = 'x'")" "table x kept"
apply_patch primary.db patch.sql
assert_eq 0 "$(added_by_patch)" "rows added the second time"
