# Every primary row is in the output unchanged, with its id; the secondary's colliding ids are
# other clicks and get fresh ids above the primary's largest.
. "$(dirname "$0")/../common.inc"
$hm primary.db secondary.db -o out.db > /dev/null
sqlite3 out.db "ATTACH 'primary.db' AS p;
  SELECT count(*) FROM p.click_events AS a JOIN main.click_events AS b USING (id)
  WHERE a.page_url IS b.page_url AND a.x IS b.x AND a.y IS b.y AND a.created_at IS b.created_at
    AND a.user_agent IS b.user_agent AND a.scroll_y IS b.scroll_y" > same
assert_eq 400 "$(cat same)" "primary rows identical"
# The outage click with secondary id 241 is in the output under a new id.
assert_eq 1 "$(rows out.db "id > 400 AND page_url = '/pricing' AND created_at LIKE '2026-02-18T10:00:00%'")" "outage row renumbered"
assert_eq 465 "$(sqlite3 out.db "SELECT seq FROM sqlite_sequence WHERE name = 'click_events'")" "sqlite_sequence"
