# -o with three secondaries, the last adding more than a block of 1,024 rows: each secondary's own
# clicks once, the outage clicks that two hold once, the primary's rows with their ids, and the
# added rows under the ids that follow, in input order then time.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
cp secondary.db s2.db
grow s2.db 20 second
sqlite3 s3.db < "$testdata/schema.sql"
grow s3.db 30 third
sqlite3 big.db < "$testdata/schema.sql"
grow big.db 1500 big
$hm primary.db secondary.db -o one.db > /dev/null
$hm primary.db secondary.db s2.db s3.db big.db -o out.db > report 2> log
assert_eq $((465 + 20 + 30 + 1500)) "$(rows out.db)" "rows out"
# clicks DB WHERE: the rows WHERE selects, without ids, sorted.
clicks() {
  sqlite3 "$1" "SELECT quote(page_url), quote(x), quote(y), quote(viewport_width),
    quote(viewport_height), quote(scroll_y), quote(user_agent), quote(created_at)
    FROM click_events WHERE $2 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
}
for tag in second third big; do
  db=$(case $tag in second) echo s2.db ;; third) echo s3.db ;; big) echo big.db ;; esac)
  assert_eq "$(clicks "$db" "page_url LIKE '/$tag/%'")" \
    "$(clicks out.db "page_url LIKE '/$tag/%'")" "$db's own clicks"
done
assert_eq "$(clicks one.db 1)" \
  "$(clicks out.db "NOT (page_url LIKE '/second/%' OR page_url LIKE '/third/%'
                         OR page_url LIKE '/big/%')")" \
  "the rest: the primary and the first secondary's, as a merge of those two gives"
assert_eq "$(sqlite3 one.db 'SELECT * FROM click_events ORDER BY id')" \
  "$(sqlite3 out.db 'SELECT * FROM click_events WHERE id <= 465 ORDER BY id')" \
  "the first 465 rows, ids too"
assert_eq "2015 2015 2015" \
  "$(sqlite3 out.db 'SELECT count(*), count(DISTINCT id), max(id) FROM click_events' | tr '|' ' ')" \
  "ids 1 to 2015, each once"
# Each secondary's rows after the previous one's, each in time order.
assert_eq "466 485 486 515 516 2015" "$(sqlite3 out.db "SELECT min(id), max(id) FROM click_events
  WHERE page_url LIKE '/second/%' UNION ALL SELECT min(id), max(id) FROM click_events
  WHERE page_url LIKE '/third/%' UNION ALL SELECT min(id), max(id) FROM click_events
  WHERE page_url LIKE '/big/%'" | tr '|\n' '  ' | sed 's/ $//')" "ids by secondary"
grep -q '^big.db .* 1500$' report
