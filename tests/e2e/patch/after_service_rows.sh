# A patch applied to a primary that the service has written more clicks to since the snapshot:
# those clicks stay, once each, and the patch's rows go in beside them, none twice.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
make_patch patch.sql primary.db secondary.db
$hm primary.db secondary.db -o out.db > /dev/null
# What the service wrote meanwhile, out.db getting the same rows: three new clicks, and one just
# like a click the patch adds but for its time (a click on the same spot a minute later).
new_clicks="INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height, scroll_y,
                                      user_agent, created_at)
  VALUES ('/live', 1, 2, 1280, 800, 0, 'ua', '2026-02-18T11:00:00.000000'),
         ('/live', 3, 4, 1280, 800, 0, 'ua', '2026-02-18T11:00:01.000000'),
         ('/live', 3, 4, 1280, 800, 0, 'ua', '2026-02-18T11:00:01.000000'),
         ('/status', 962.5, 278.25, 1366, 768, 0,
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/122.0',
          '2026-02-18T10:01:20.062000');"
sqlite3 primary.db "$new_clicks"
sqlite3 out.db "$new_clicks"
apply_patch primary.db patch.sql
assert_eq 65 "$(added_by_patch)" "rows added"
same_rows primary.db out.db "after the service's rows"
assert_eq 469 "$(rows primary.db)" "rows"
# The service's rows kept their ids, the patch's came after them.
assert_eq "401 402 403 404" "$(sqlite3 primary.db "SELECT id FROM click_events
  WHERE page_url = '/live' OR created_at = '2026-02-18T10:01:20.062000'" | tr '\n' ' ' | sed 's/ $//')" \
  "the service's ids"
# And once more, after more service rows: nothing more.
sqlite3 primary.db "$new_clicks"
sqlite3 out.db "$new_clicks"
apply_patch primary.db patch.sql
assert_eq 0 "$(added_by_patch)" "rows added the second time"
same_rows primary.db out.db "after a second application"
