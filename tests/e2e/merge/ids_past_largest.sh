# A primary whose ids reach SQLite's largest, 2^63-1 (a row stored with that id; the service goes
# on, SQLite then picks free ids at random): rows that would need ids past it are refused with
# exit 65 in every mode, the dry run first, before anything is written, instead of wrapping to
# -2^63. The last free id is still given.
. "$(dirname "$0")/../common.inc"
sqlite3 p.db < "$testdata/schema.sql"
sqlite3 p.db "INSERT INTO click_events VALUES (9223372036854775806, '/k', 1, 1, 1024, 768, 0, 'u',
  '2026-02-01 10:00:00')"
sqlite3 s.db < "$testdata/schema.sql"
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/a', 1, 1, '2026-02-01 10:00:01'), ('/b', 1, 1, '2026-02-01 10:00:02')"
cp p.db before.db
message='p.db has ids up to 9223372036854775806 (its largest id or AUTOINCREMENT sequence), and the 2 rows to add need ids above them, past 9223372036854775807'
expect_exit 65 $hm -n p.db s.db
grep -qF "$message" err
expect_exit 65 $hm -o out.db p.db s.db
grep -qF "$message" err
test ! -e out.db
expect_exit 65 $hm --in-place p.db s.db
grep -qF "$message" err
cmp p.db before.db
# One row still fits: the largest id itself, and the sequence says so.
sqlite3 s.db "DELETE FROM click_events WHERE page_url = '/b'"
$hm -q -o out.db p.db s.db
assert_eq "$(sqlite3 out.db "SELECT group_concat(id) FROM (SELECT id FROM click_events ORDER BY id)")" \
  "9223372036854775806,9223372036854775807" "the ids"
assert_eq "$(sqlite3 out.db "SELECT seq FROM sqlite_sequence")" 9223372036854775807 "the sequence"
# Once the sequence is at the largest, no row fits, whatever the largest row id.
sqlite3 p.db "UPDATE sqlite_sequence SET seq = 9223372036854775807"
expect_exit 65 $hm -o out2.db p.db s.db
grep -qF 'p.db has ids up to 9223372036854775807' err
no_leftovers
