# Clicks on 1700-01-01 and 9999-12-31 (an instant, and a time past the nanosecond range) are
# reported in every format (found by the differential fuzzer: --format html failed with exit
# 70, "cannot create std::vector larger than max_size()").
. "$(dirname "$0")/../common.inc"
before=$($hm -n --format json primary.db secondary.db |
  sed -n 's/^  "rows_added": \([0-9]*\),$/\1/p')
test -n "$before"
for when in '1700-01-01 00:00:00' '9999-12-31 23:59:59'; do
  cp primary.db p.db
  cp secondary.db s.db
  sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at)
                VALUES ('/old', 1, 2, '$when')"
  for format in text json markdown html summary; do
    $hm -n --format $format p.db s.db > report.$format
    test -s report.$format
  done
  grep -q "^  \"rows_added\": $((before + 1)),\$" report.json
  rm p.db s.db
done
