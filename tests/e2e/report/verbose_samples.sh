# --verbose adds sample rows of what would be added and of each conflict.
. "$(dirname "$0")/../common.inc"
$hm -n -v primary.db secondary.db > report 2> log
grep -q '^rows that would be added (first ones)$' report
grep -q '^  secondary.db row 241 -> id 401:$' report
grep -q '^    id=241 page_url=/pricing ' report
grep -q '^conflicts (the first row is kept)$' report
grep -A 3 '^  secondary.db row 7:$' report | grep -q ' user_agent=Mozilla/5.0$'
grep -q 'heatmap-merge: planning took' log
