# A WAL-mode secondary named through a symbolic link, its newest rows still in the -wal beside
# the real file: every committed row is read, as through the file's own path (issue 26's first
# bug: the page scan looked for "<link>-wal", found none and decoded the main file alone).
. "$(dirname "$0")/../common.inc"
test -s secondary-wal.db-wal
mkdir real
mv secondary-wal.db secondary-wal.db-wal real/
rm -f secondary-wal.db-shm
ln -s real/secondary-wal.db link.db
# The expectation, from SQLite (read-only: no checkpoint): each click (page, x, y and the
# instant of its time) as many times as the input that holds it most.
expected=$(sqlite3 -readonly primary.db "ATTACH 'file:link.db?mode=ro' AS s;
  WITH p AS (SELECT page_url, x, y, julianday(created_at) AS t, count(*) AS n
             FROM main.click_events GROUP BY 1, 2, 3, 4),
       s AS (SELECT page_url, x, y, julianday(created_at) AS t, count(*) AS n
             FROM s.click_events GROUP BY 1, 2, 3, 4),
       k AS (SELECT page_url, x, y, t FROM p UNION SELECT page_url, x, y, t FROM s)
  SELECT sum(max(coalesce(p.n, 0), coalesce(s.n, 0)))
  FROM k LEFT JOIN p USING (page_url, x, y, t) LEFT JOIN s USING (page_url, x, y, t)")
test -s real/secondary-wal.db-wal
$hm primary.db link.db -o out.db > /dev/null
assert_eq "$expected" "$(rows out.db)" "rows out, the secondary named through a link"
assert_eq 0 "$(sqlite3 out.db "ATTACH 'file:link.db?mode=ro' AS s;
  SELECT count(*) FROM s.click_events AS r WHERE NOT EXISTS (SELECT 1 FROM main.click_events AS o
    WHERE o.page_url = r.page_url AND o.x = r.x AND o.y = r.y
      AND julianday(o.created_at) = julianday(r.created_at))")" \
  "secondary rows missing from the output"
# The same through a link to the directory.
ln -s real realdir
$hm primary.db realdir/secondary-wal.db -o out2.db > /dev/null
assert_eq "$expected" "$(rows out2.db)" "rows out, the secondary in a linked directory"
