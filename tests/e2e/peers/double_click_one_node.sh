# --peers --in-place --replay-window where one node holds a double click (the same spot twice,
# 300 ms apart) that the other lacks (it was down): the other node is given both clicks, since
# neither row is a copy of a click both hold. Found by bench/peers-bench.sh at 1M and 4M clicks
# (b lacked 4 of 9 such double clicks at 1M): the replay pass paired the two rows within a node.
. "$(dirname "$0")/../common.inc"
sqlite3 a.db < "$testdata/schema.sql"
sqlite3 b.db < "$testdata/schema.sql"
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height,
  scroll_y, user_agent, created_at) VALUES
  ('/', 10.5, 20.5, 1280, 800, 0, 'UA', '2026-02-11 12:00:00.100000'),
  ('/', 10.5, 20.5, 1280, 800, 0, 'UA', '2026-02-11 12:00:00.400000'),
  ('/p', 1.5, 2.5, 1280, 800, 0, 'UA', '2026-02-11 11:00:00.000000')"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height,
  scroll_y, user_agent, created_at) VALUES
  ('/p', 1.5, 2.5, 1280, 800, 0, 'UA', '2026-02-11 11:00:00.020000')"
$hm -q --peers --in-place --window 1s --replay-window 1h a.db b.db
assert_eq 2 "$(rows b.db "page_url = '/'")" "clicks of the double click on b"
assert_eq 2 "$(rows a.db "page_url = '/'")" "clicks of the double click on a"
assert_eq 1 "$(rows b.db "page_url = '/p'")" "copies of the click both held, on b"
