# --peers --in-place --alter-live-table --replay-window, one run, where only the second node has
# a column (no default; its new version sets it): the second node holds a replayed copy of the
# first node's click, written by that version. The first node's merge adds the column to it (NULL
# on its click); the second node's merge takes the first node to lack it, so its click still
# pairs with the replayed copy, and no node gains a second copy: what the dry run says. Before,
# the second node got the click again (NULL against the version's value). Found by the breaker
# of session 32.
. "$(dirname "$0")/../common.inc"
for node in a b; do
  sqlite3 $node.db < "$testdata/schema.sql"
done
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, scroll_y, user_agent, created_at) VALUES
  ('/k', 1, 1, 0, 'ua', '2026-02-01 10:00:00')"
sqlite3 b.db "ALTER TABLE click_events ADD COLUMN app_version TEXT;
  INSERT INTO click_events (page_url, x, y, scroll_y, user_agent, created_at, app_version) VALUES
  ('/k', 1, 1, 0, 'ua', '2026-02-01 10:10:00', 'v2')"
options="--peers --in-place --alter-live-table --replay-window 1h"
$hm -n $options --format json a.db b.db > dry.json
assert_eq "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["rows_added"])' < dry.json)" 0 "the dry run's rows added"
$hm -q $options a.db b.db
assert_eq "$(rows a.db) $(rows b.db)" "1 1" "rows of a and b"
