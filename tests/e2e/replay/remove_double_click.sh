# --remove-replays keeps a genuine double click that the other node holds too (both rows paired
# across), removes a later copy of a click that both nodes hold (a replay), keeps two copies of
# a click only this node holds (nothing says either is a replay: a double click while the other
# node was down), with -o and --in-place alike; a copy whose time is text never goes.
. "$(dirname "$0")/../common.inc"
schema=$(sqlite3 primary.db .schema | grep -v sqlite_sequence)
for node in a b; do
  sqlite3 "$node.db" "$schema"
done
ins() {
  sqlite3 "$1" "INSERT INTO click_events(id, page_url, x, y, viewport_width, viewport_height,
    scroll_y, user_agent, created_at) VALUES ($2, '/p', $3, 10, 1280, 800, 0, 'ua', '$4')"
}
# A double click on both nodes, 300 ms apart, each copy 5 ms later on b.
ins a.db 1 100 '2026-03-01 10:00:00.000'
ins a.db 2 100 '2026-03-01 10:00:00.300'
ins b.db 1 100 '2026-03-01 10:00:00.005'
ins b.db 2 100 '2026-03-01 10:00:00.305'
# A click on both nodes, replayed to a 10 minutes later: the replay goes.
ins a.db 3 200 '2026-03-01 11:00:00.000'
ins b.db 3 200 '2026-03-01 11:00:00.005'
ins a.db 4 200 '2026-03-01 11:10:00.000'
# Two identical clicks only on a, 2 minutes apart: both stay.
ins a.db 5 300 '2026-03-01 12:00:00.000'
ins a.db 6 300 '2026-03-01 12:02:00.000'
# Two copies whose time is text: they never pair.
ins a.db 7 400 'yesterday'
ins a.db 8 400 'yesterday'
ins b.db 9 999 '2026-03-01 13:00:00.000'

$hm -q --window 1s --replay-window 1h --remove-replays -o out.db a.db b.db
assert_eq "1 2 3 5 6 7 8 9" "$(sqlite3 out.db 'SELECT id FROM click_events ORDER BY id' | tr '\n' ' ' | sed 's/ $//')" \
  "rows of the output"
$hm -v --window 1s --replay-window 1h --remove-replays --in-place a.db b.db > run.txt 2> run.err
assert_eq "1 2 3 5 6 7 8 9" "$(sqlite3 a.db 'SELECT id FROM click_events ORDER BY id' | tr '\n' ' ' | sed 's/ $//')" \
  "rows of the primary"
grep -qxF 'heatmap-merge: removed row 4 (2026-03-01 11:10:00.000, /p): replayed duplicate of id 3' run.err
if grep -q 'removed row 6' run.err; then
  echo "row 6 removed" >&2
  exit 1
fi
grep -qxF 'removed 1 replayed duplicate from a.db in place' run.txt
