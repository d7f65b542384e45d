# Rows decoded from the table's pages are the rows SQLite reads: on inputs with rows that spill to
# overflow pages, integers in REAL columns, NULL keys, blobs, epoch-number times and a column added
# after some rows (SQLite supplies its default), a secondary in rollback and in WAL mode (nothing
# in its -wal, so its pages are decoded too), the report and the rows are the same with every
# optimisation on and off, and -v says how many rows were decoded and how many SQLite read.
. "$(dirname "$0")/../common.inc"
seeded_pair
odd_rows() {
  sqlite3 "$1" "
    INSERT INTO click_events (page_url, x, y, user_agent, created_at) VALUES
      ('/big', 1, 2, printf('%.12000c', 'a'), '2026-02-18 09:00:01'),
      ('/int', 10, 20, 'ua', '2026-02-18 09:00:02'),
      ('/null', NULL, 3, 'ua', '2026-02-18 09:00:03'),
      ('/blob', 4.5, 6.25, X'00ff10', '2026-02-18 09:00:04'),
      ('/epoch', 7, 8, 'ua', 1771405205);
    ALTER TABLE click_events ADD COLUMN session TEXT DEFAULT 'none';
    INSERT INTO click_events (page_url, x, y, user_agent, created_at, session) VALUES
      ('/after', 9, 9, 'ua', '2026-02-18 09:00:06', 's1');"
}
# NOT NULL columns in the service's schema: a copy without them, so that a NULL key can be stored.
for db in p s; do
  sqlite3 $db.db "PRAGMA writable_schema = ON;
    UPDATE sqlite_schema SET sql = replace(sql, 'NOT NULL', '') WHERE name = 'click_events';" 
  odd_rows $db.db
done
cp s.db s-wal.db
sqlite3 s-wal.db "PRAGMA journal_mode = WAL" > /dev/null
test ! -s s-wal.db-wal
strip() {
  grep -v -E '"(output|seconds|elapsed|longest_transaction_ms|longest_commit_ms|waited_ms)"' "$1"
}
for secondary in s s-wal; do
  for mode in on off; do
    plain=""
    [ $mode = off ] && plain=1
    HEATMAP_MERGE_NO_OPTIMIZATIONS=$plain $hm -v --format json -o $secondary-$mode.db p.db \
      $secondary.db > $secondary-$mode.json 2> $secondary-$mode.err
  done
  assert_eq "$(strip $secondary-on.json)" "$(strip $secondary-off.json)" "$secondary: reports"
  assert_eq "$(sqlite3 $secondary-on.db 'SELECT quote(page_url), quote(x), quote(user_agent), quote(created_at), quote(session) FROM click_events ORDER BY id' | cksum)" \
    "$(sqlite3 $secondary-off.db 'SELECT quote(page_url), quote(x), quote(user_agent), quote(created_at), quote(session) FROM click_events ORDER BY id' | cksum)" \
    "$secondary: rows"
  # The big row spills to overflow pages and the rows from before the ALTER TABLE lack the
  # column: SQLite reads those.
  grep -E "$secondary\.db: [0-9]+ rows? decoded from its pages, [1-9][0-9]* read through SQLite" \
    $secondary-on.err > /dev/null || { cat $secondary-on.err >&2; exit 1; }
  lacks "decoded from its pages" $secondary-off.err
done
