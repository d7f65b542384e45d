# Rows with large values (400 KB BLOBs and texts) go in INSERTs of about 1 MiB, not 500 rows
# each: the patch applies where the shell limits a statement to 2 MB (SQLite's own limit is
# 1e9 bytes, which 500 rows of 2 MB would pass), and the values arrive byte for byte.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
sqlite3 secondary.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
  INSERT INTO click_events (page_url, x, y, user_agent, created_at)
  SELECT '/large/' || i, i, i, iif(i % 2, randomblob(400000), hex(randomblob(200000))),
         '2026-02-18T13:00:0' || i FROM n"
make_patch patch.sql primary.db secondary.db
$hm primary.db secondary.db -o out.db > /dev/null
{ echo ".limit sql_length 2000000"; cat patch.sql; } > limited.sql
apply_patch primary.db limited.sql
assert_eq 73 "$(added_by_patch)" "rows added"
same_rows primary.db out.db "large values"
