# Clicks in the first and in the last hour that instants reach (1677-09-21, 2262-04-11), with an
# outage there, give every report format their hour as it is: the HTML chart is of one hour, not
# of 43 weeks from an end that ran past the largest instant.
. "$(dirname "$0")/../common.inc"
for day in '1677-09-21T01' '2262-04-11T23'; do
  rm -f p.db s.db
  cp primary.db p.db
  sqlite3 p.db "DELETE FROM click_events; INSERT INTO click_events (page_url, x, y, created_at)
    VALUES ('/p', 1, 1, '${day}:00:00Z'), ('/p', 2, 1, '${day}:00:01Z')"
  cp p.db s.db
  for second in 0 1 2 3 4 5 6 7 8 9; do
    sqlite3 s.db "INSERT INTO click_events (page_url, x, y, created_at)
      VALUES ('/s', $second, 1, '${day}:47:0${second}Z')"
  done
  $hm -n --format html p.db s.db > report
  grep -q '<h2>Clicks per hour (UTC)</h2>' report
  # One bar, the hour's, as wide as the chart: the 10 clicks added.
  grep -qF ">${day#*T}:00</text>" report
  assert_eq 1 "$(grep -c '<rect x="65.0" y="112.7" width="1014.0" height="165.3"' report)" "bar"
  grep -qF "<td class=\"n\">9s</td><td class=\"n\">10</td></tr>" report
  # The hour table around the outage marks its hour.
  grep -qF "<tr class=\"in-outage\"><td class=\"t\">${day%T*} ${day#*T}:00</td>" report
  $hm -n p.db s.db > report
  grep -qE "^  ${day%T*} ${day#*T}:47:00  ${day%T*} ${day#*T}:47:09 +9s +10$" report
  for format in json markdown summary; do
    $hm -n --format $format p.db s.db > report
  done
done
