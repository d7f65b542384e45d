# The window the report suggests (from a dry run's JSON) catches every failover duplicate: run
# with it, the sample replicas merge as with --window 2s, and a dry run with it leaves no pair
# apart and suggests the same window again.
. "$(dirname "$0")/../common.inc"
# suggested REPORT: the "suggested" window of a JSON report, as --window takes it.
suggested() {
  sed -n 's/^ *"suggested": "\([^"]*\)",*$/\1/p' "$1"
}
for pair in "primary.db secondary.db" "day-primary.db day-secondary.db"; do
  set -- $pair
  $hm -n --format json "$1" "$2" > first.json
  window=$(suggested first.json)
  assert_eq 2s "$window" "window suggested for $pair"
  grep -q '"too_wide": false' first.json
  $hm --window "$window" -o with-suggested.db "$1" "$2" > /dev/null
  $hm --window 2s -o with-2s.db "$1" "$2" > /dev/null
  assert_eq "$(rows with-2s.db)" "$(rows with-suggested.db)" "rows out for $pair"
  # No failover duplicate is left: no secondary row lies within 10 s of a kept copy of it.
  assert_eq 0 "$(sqlite3 with-suggested.db "SELECT count(*) FROM click_events AS a,
      click_events AS b WHERE a.id < b.id AND a.page_url = b.page_url AND a.x = b.x
      AND a.y = b.y AND a.created_at <> b.created_at
      AND abs(julianday(b.created_at) - julianday(a.created_at)) * 86400 <= 10")" \
    "failover duplicates left in $pair"
  rm with-suggested.db with-2s.db
  # Asked again with it: nothing left apart, the same suggestion, no warning.
  $hm -n --window "$window" --format json "$1" "$2" > again.json
  assert_eq "$window" "$(suggested again.json)" "suggestion with $window for $pair"
  tr -d ' \n' < again.json | grep -q '"near_misses":{"pairs":0}'
  grep -q '"too_wide": false' again.json
  $hm -n --window "$window" "$1" "$2" > again.txt
  grep -q "the window in use ($window) matches them all" again.txt
  lacks 'too wide' again.txt
done
