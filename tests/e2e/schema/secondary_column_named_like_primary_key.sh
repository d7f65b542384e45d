# A secondary's data column named _rowid_, where the primary's INTEGER PRIMARY KEY is named
# _rowid_: its values are not dropped silently (found by the breaker: -o exits 0, reports no
# column, and the values are gone). Either the output keeps them or the run refuses.
. "$(dirname "$0")/../common.inc"
sqlite3 p.db "CREATE TABLE click_events (_rowid_ INTEGER PRIMARY KEY, page_url TEXT, x REAL,
  y REAL, created_at TEXT);
  INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/p', 1, 1, '2026-02-18T10:00:00Z')"
sqlite3 s.db "CREATE TABLE click_events (page_url TEXT, x REAL, y REAL, created_at TEXT,
  _rowid_ TEXT);
  INSERT INTO click_events (page_url, x, y, created_at, _rowid_)
  VALUES ('/p', 1, 1, '2026-02-18T10:00:00Z', 'tag-1'), ('/s', 2, 2, '2026-02-18T10:00:01Z', 'tag-2'),
  ('/s', 3, 3, '2026-02-18T10:00:02Z', 'tag-3')"
set +e
$hm -o out.db p.db s.db > report 2>err
status=$?
set -e
if [ "$status" = 0 ]; then
  assert_eq 2 "$(sqlite3 out.db .dump | grep -c "tag-[23]")" "the secondary's _rowid_ values in the output"
else
  cat err >&2
  assert_eq 65 "$status" "exit status of a refusal"
  test ! -e out.db
fi
