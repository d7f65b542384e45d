# A time written with a UTC offset is that instant: 12:00+02:00 and 05:00-05:00 are 10:00Z, so the
# secondary's copies of the primary's clicks are exact duplicates, and nothing is added; read with
# the offset's sign reversed they would be hours apart and added (issue 31, item 13).
. "$(dirname "$0")/../common.inc"
for db in p.db s.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/tz', 1, 1, '2026-02-18T10:00:00Z'), ('/tz', 2, 2, '2026-02-18T10:00:00.250000')"
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/tz', 1, 1, '2026-02-18T12:00:00+02:00'), ('/tz', 2, 2, '2026-02-18T05:00:00.25-05:00')"
$hm -n --format json p.db s.db > report.json
assert_eq "2 0" "$(jq -r '.inputs[1] | "\(.duplicates_exact) \(.rows_added)"' report.json)" \
  "exact duplicates, rows added"
expect_exit 0 $hm -q --exit-code -o out.db p.db s.db
assert_eq 2 "$(rows out.db)" "rows out"
no_leftovers
