# A table whose INTEGER PRIMARY KEY is named rowid keeps its row ids reachable (rowid is the key
# itself), whatever columns _rowid_ and oid hold; a merge whose secondary adds _rowid_ must be
# mergeable again (found by the second breaker: -o and --in-place add the column, exit 0, and
# every later run refuses the result, exit 65 "columns named rowid, _rowid_ and oid hide its
# row ids").
. "$(dirname "$0")/../common.inc"
sqlite3 p.db 'CREATE TABLE click_events ("rowid" INTEGER PRIMARY KEY, page_url TEXT, x REAL,
                                         y REAL, created_at TEXT, "oid" TEXT)'
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at, \"oid\")
  VALUES ('/a', 1, 1, '2026-02-18T10:00:00Z', 'o1'), ('/b', 1, 1, '2026-02-18T10:00:01Z', 'o2')"
sqlite3 s.db 'CREATE TABLE click_events (page_url TEXT, x REAL, y REAL, created_at TEXT,
                                         "_rowid_" INTEGER, "oid" TEXT)'
sqlite3 s.db "INSERT INTO click_events VALUES ('/c', 1, 1, '2026-02-18T10:00:02Z', 7, 'o3'),
                                              ('/a', 1, 1, '2026-02-18T10:00:00Z', 8, 'o1')"
expect_exit 0 $hm -q -o out.db p.db s.db
assert_eq 3 "$(rows out.db)" "rows of -o"
# The output, as the next run's primary: nothing more to add.
expect_exit 0 $hm -q -n --exit-code out.db s.db
cp p.db live.db
expect_exit 0 $hm -q --in-place --alter-live-table live.db s.db
assert_eq 3 "$(rows live.db)" "rows after --in-place"
expect_exit 0 $hm -q -n --exit-code --in-place live.db s.db
expect_exit 0 $hm -q --in-place live.db s.db
assert_eq 3 "$(rows live.db)" "rows after the second --in-place"
