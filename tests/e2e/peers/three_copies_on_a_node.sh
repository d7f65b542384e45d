# --peers --in-place --replay-window where one node holds a click three times (a write that
# committed after the client's timeout, replayed 27 minutes later by two flushes of the queue at
# once, 16 ms apart) and the other once: neither node gains a copy of it; the click only the
# second node holds goes to the first, once. Found by --peers on generated nodes: the replay
# pass paired the two replays with each other, one-to-one, and the one left went to the other
# node as a click of its own.
. "$(dirname "$0")/../common.inc"
for db in a.db b.db; do
  sqlite3 $db < "$testdata/schema.sql"
done
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, scroll_y, created_at) VALUES
  ('/c', 1, 1, 5, '2026-02-18 10:00:00.100000'),
  ('/c', 1, 1, 5, '2026-02-18 10:27:00.000000'),
  ('/c', 1, 1, 5, '2026-02-18 10:27:00.016000')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, scroll_y, created_at) VALUES
  ('/c', 1, 1, 5, '2026-02-18 10:00:00.180000'),
  ('/d', 2, 2, 0, '2026-02-18 11:00:00.000000')"
$hm --peers --in-place -q --window 1s --replay-window 1h a.db b.db
assert_eq 1 "$(rows b.db "page_url = '/c'")" "copies of the click on b"
assert_eq 3 "$(rows a.db "page_url = '/c'")" "copies of the click on a (its own stay)"
assert_eq 1 "$(rows a.db "page_url = '/d'")" "copies of b's own click on a"
