# A data column named seq, part, grp or nth (the names the SQL patch gives its own working
# columns) goes into the primary with the secondary's values, as -o copies them (found by the
# second breaker: the patch wrote its row number, transaction or group there instead, exit 0).
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
for col in seq part grp nth; do
  rm -f p.db s.db target.db out.db
  for db in p.db s.db; do
    sqlite3 $db "CREATE TABLE click_events (id INTEGER PRIMARY KEY, page_url TEXT, x REAL,
                                            y REAL, created_at TEXT, \"$col\" TEXT)"
  done
  sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at, \"$col\")
    VALUES ('/', 1, 1, '2026-02-18 10:00:00', 'P')"
  sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at, \"$col\")
    VALUES ('/a', 1, 1, '2026-02-18 10:00:01', 'A'), ('/b', 2, 2, '2026-02-18 10:00:02', 'B'),
           ('/b', 2, 2, '2026-02-18 10:00:02', 'B')"
  $hm -q -o out.db p.db s.db
  make_patch patch.sql p.db s.db
  cp p.db target.db
  apply_patch target.db patch.sql
  assert_eq 3 "$(added_by_patch)" "rows added, column $col"
  same_rows out.db target.db "the patch and -o, column $col"
  assert_eq "/=P /a=A /b=B /b=B" "$(sqlite3 target.db "SELECT group_concat(page_url || '=' ||
    coalesce(\"$col\", 'NULL'), ' ') FROM (SELECT * FROM click_events ORDER BY id)")" \
    "column $col after the patch"
  # Applied again, it adds nothing.
  apply_patch target.db patch.sql
  assert_eq 0 "$(added_by_patch)" "rows added the second time, column $col"
done
