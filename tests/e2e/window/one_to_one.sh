# Matching is one-to-one: three clicks on one replica and one on the other within the window
# give three rows; and rows of one input never match each other (a double click 200 ms apart).
. "$(dirname "$0")/../common.inc"
for db in a.db b.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/', 1, 1, '2026-02-18 10:00:00.000'), ('/', 1, 1, '2026-02-18 10:00:00.500'),
  ('/', 1, 1, '2026-02-18 10:00:01.000'),
  ('/p', 2, 2, '2026-02-18 11:00:00.000')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/', 1, 1, '2026-02-18T10:00:01.200Z'),
  ('/q', 3, 3, '2026-02-18 12:00:00.000'), ('/q', 3, 3, '2026-02-18 12:00:00.200')"
$hm --window 2s a.db b.db -o out.db > /dev/null
assert_eq 3 "$(rows out.db "page_url = '/'")" "three clicks absorb one"
assert_eq 2 "$(rows out.db "page_url = '/q'")" "double click within one input"
# The nearest row absorbs the late copy: the one at 10:00:01.000.
$hm -n --window 2s --format json a.db b.db > report.json
grep -q '"median_ms": 200.0' report.json
