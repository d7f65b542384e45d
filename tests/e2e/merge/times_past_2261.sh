# Date-times are instants from 1677 to 2262 (64-bit nanoseconds), and beyond that compared as
# text, exactly, as the man page says ("Time values"): 2261-12-31T23:59:59 and
# 2261-12-31 23:59:59 are one click, 9999-12-31T23:59:59 and 9999-12-31 23:59:59 are two, and
# the same text twice is one (found by the differential fuzzer, where the man page promised
# instants whatever the year).
. "$(dirname "$0")/../common.inc"
for db in p.db s.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
for year in 1700 2026 2261 2300 9999; do
  sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at)
                VALUES ('/$year', 1, 1, '$year-12-31T23:59:59'),
                       ('/$year-same', 1, 1, '$year-06-30 12:00:00')"
  sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at)
                VALUES ('/$year', 1, 1, '$year-12-31 23:59:59'),
                       ('/$year-same', 1, 1, '$year-06-30 12:00:00')"
done
$hm -o out.db p.db s.db > /dev/null
for year in 1700 2026 2261; do
  assert_eq 1 "$(rows out.db "page_url = '/$year'")" "one click on $year-12-31"
done
for year in 2300 9999; do
  assert_eq 2 "$(rows out.db "page_url = '/$year'")" "two texts on $year-12-31"
done
for year in 1700 2026 2261 2300 9999; do
  assert_eq 1 "$(rows out.db "page_url = '/$year-same'")" "one click, the same text, in $year"
done
