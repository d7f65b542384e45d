# The chance estimate at the ends of the times there are (1677-09-21, 2262-04-11), where a time
# plus or minus twice the replay window passes the largest or smallest instant: a secondary's
# row that nothing pairs with, with the primary's identical row 90 minutes away, counts as with
# any other date (--replay-window 1h).
. "$(dirname "$0")/../common.inc"
schema=$(sqlite3 primary.db .schema | grep -v sqlite_sequence)
ins() {
  sqlite3 "$1" "INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/p', 1, 2, '$2')"
}
json() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}
# The primary's row before the secondary's at the start of time, after it at the end.
for pair in '1677-09-21T00:20:00Z 1677-09-21T01:50:00Z' '2262-04-11T23:30:00Z 2262-04-11T22:00:00Z'; do
  rm -f a.db b.db
  sqlite3 a.db "$schema"
  sqlite3 b.db "$schema"
  ins a.db "${pair% *}"
  ins b.db "${pair#* }"
  $hm -n --window 1s --replay-window 1h --format json a.db b.db > report.json
  assert_eq 1 "$(json report.json 'r["replay"]["chance_pairs"]')" "chance pairs, $pair"
  $hm -n --window 1s --replay-window 1h a.db b.db > report.txt
  grep -qxF '  by chance alone: about 1 (identical rows 1h to 2h apart)' report.txt
done
