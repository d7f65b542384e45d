# A table and columns genuinely named with quotes, semicolons and comment markers merge like the
# plain ones: the names are quoted, and the result is the usual 465 rows.
. "$(dirname "$0")/../common.inc"
table='clicks"; DROP TABLE x; --'
url="page url'); /* --"
when='at"; --'
for db in primary.db secondary.db; do
  sqlite3 "$db" "ALTER TABLE click_events RENAME TO \"clicks\"\"; DROP TABLE x; --\";
    ALTER TABLE \"clicks\"\"; DROP TABLE x; --\" RENAME COLUMN page_url TO \"page url'); /* --\";
    ALTER TABLE \"clicks\"\"; DROP TABLE x; --\" RENAME COLUMN created_at TO \"at\"\"; --\";
    CREATE TABLE x(keep);"
done
before=$(cksum primary.db secondary.db)
$hm --table "$table" --time-column "$when" primary.db secondary.db -o out.db --key "$url,x,y" > report
assert_eq 465 "$(sqlite3 out.db "SELECT count(*) FROM \"clicks\"\"; DROP TABLE x; --\"")" "rows out"
assert_eq x "$(sqlite3 out.db "SELECT name FROM sqlite_schema WHERE name = 'x'")" "table x kept"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity"
assert_eq "$before" "$(cksum primary.db secondary.db)" "inputs unchanged"
