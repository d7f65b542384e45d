# Every added row is its secondary row, column for column, under a new id that follows time:
# the sample's 65 added rows go in one batch of 64 and one row alone.
. "$(dirname "$0")/../common.inc"
$hm primary.db secondary.db -o out.db > report
assert_eq 65 "$(rows out.db 'id > 400')" "added rows"
assert_eq "401 465" "$(sqlite3 out.db "SELECT min(id), max(id) FROM click_events WHERE id > 400" | tr '|' ' ')" "new ids"
unmatched=$(sqlite3 out.db "ATTACH 'secondary.db' AS s;
  SELECT count(*) FROM main.click_events AS a WHERE a.id > 400 AND NOT EXISTS (
    SELECT 1 FROM s.click_events AS b WHERE b.page_url IS a.page_url AND b.x IS a.x
      AND b.y IS a.y AND b.viewport_width IS a.viewport_width
      AND b.viewport_height IS a.viewport_height AND b.scroll_y IS a.scroll_y
      AND b.user_agent IS a.user_agent AND b.created_at IS a.created_at)")
assert_eq 0 "$unmatched" "added rows that are no secondary row"
out_of_order=$(sqlite3 out.db "SELECT count(*) FROM click_events AS a JOIN click_events AS b
  ON b.id = a.id + 1 WHERE a.id > 400 AND b.created_at < a.created_at")
assert_eq 0 "$out_of_order" "added rows out of time order"
