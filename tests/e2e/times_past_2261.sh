# A date-time is an instant whatever its year (man page, "Duplicates"): 9999-12-31T23:59:59 and
# 9999-12-31 23:59:59 are one click, as 2026's are (found by the differential fuzzer: past the
# nanosecond range, 2262 on, times were compared as text).
. "$(dirname "$0")/common.inc"
for db in p.db s.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
for year in 2026 2261 2300 9999; do
  sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at)
                VALUES ('/$year', 1, 1, '$year-12-31T23:59:59')"
  sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at)
                VALUES ('/$year', 1, 1, '$year-12-31 23:59:59')"
done
$hm -o out.db p.db s.db > /dev/null
for year in 2026 2261 2300 9999; do
  assert_eq 1 "$(rows out.db "page_url = '/$year'")" "one click on $year-12-31"
done
