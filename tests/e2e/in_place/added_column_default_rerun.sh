# --in-place --alter-live-table with a secondary whose new column has a default (its new version's
# migration, ALTER TABLE ... ADD COLUMN ... DEFAULT, gave its rows from before the default): the
# column comes to the primary with that default, so the primary's own rows hold it too, and a
# second run with --replay-window still pairs the secondary's replayed copy of a primary click
# with it: nothing is added again. Before, the column came without its default, NULL on the
# primary's rows, and the second run added the copy (the breaker of session 32, repros 08 and 10).
. "$(dirname "$0")/../common.inc"
sqlite3 p.db < "$testdata/schema.sql"
sqlite3 s.db < "$testdata/schema.sql"
sqlite3 p.db "INSERT INTO click_events (page_url, x, y, scroll_y, user_agent, created_at) VALUES
  ('/k', 1, 1, 0, 'ua', '2026-02-01 10:00:00')"
# The replayed copy, 10 minutes later, then the migration, then a click of the new version.
sqlite3 s.db "INSERT INTO click_events (page_url, x, y, scroll_y, user_agent, created_at) VALUES
  ('/k', 1, 1, 0, 'ua', '2026-02-01 10:10:00');
  ALTER TABLE click_events ADD COLUMN app_version TEXT DEFAULT 'v2';
  INSERT INTO click_events (page_url, x, y, scroll_y, user_agent, created_at, app_version) VALUES
  ('/new', 2, 2, 0, 'ua', '2026-02-01 11:00:00', 'v3')"
options="--in-place --alter-live-table --replay-window 1h"
$hm -q $options p.db s.db
assert_eq "$(sqlite3 p.db "SELECT page_url || '=' || app_version FROM click_events ORDER BY id")" \
  "/k=v2
/new=v3" "the primary's rows after the first run"
$hm -q $options p.db s.db
assert_eq "$(rows p.db)" 2 "rows after the second run"
