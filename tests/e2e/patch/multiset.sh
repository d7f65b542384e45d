# A click the secondary holds twice (a real double click) goes in twice where the primary has
# none, once where it has one, as -o keeps it: the patch counts copies, and a second
# application adds none.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
twice="INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height, scroll_y,
                                 user_agent, created_at)
  VALUES ('/twice', 10, 20, 1280, 800, 0, 'ua', '2026-02-18T12:00:00.250000')"
once_more="INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height, scroll_y,
                                     user_agent, created_at)
  VALUES ('/once-more', 30, 40, 1280, 800, 0, 'ua', '2026-02-18T12:00:01.500000')"
sqlite3 secondary.db "$twice; $twice; $once_more; $once_more"
sqlite3 primary.db "$once_more"
make_patch patch.sql primary.db secondary.db
$hm primary.db secondary.db -o out.db > /dev/null
assert_eq 2 "$(rows out.db "page_url = '/twice'")" "-o: the double click"
assert_eq 2 "$(rows out.db "page_url = '/once-more'")" "-o: the click the primary has once"
cp primary.db target.db
apply_patch target.db patch.sql
assert_eq 68 "$(added_by_patch)" "rows added"
assert_eq 2 "$(rows target.db "page_url = '/twice'")" "the double click"
assert_eq 2 "$(rows target.db "page_url = '/once-more'")" "the click the primary had once"
same_rows target.db out.db "double clicks"
apply_patch target.db patch.sql
assert_eq 0 "$(added_by_patch)" "rows added the second time"
same_rows target.db out.db "double clicks, applied twice"
# The service wrote one copy of the double click meanwhile (it is its click too): one more goes in.
cp primary.db target2.db
sqlite3 target2.db "$twice"
apply_patch target2.db patch.sql
assert_eq 67 "$(added_by_patch)" "rows added beside the service's copy"
same_rows target2.db out.db "double click, one copy already there"
# A double click whose two copies fall in two transactions of the patch (rows 10,000 and 10,001):
# the second transaction counts the first's copy, whether the service wrote one or not.
. "$(dirname "$0")/../faults.inc"
rm -f secondary.db primary.db
sh "$testdata/make-fixtures.sh" "$t"
grow secondary.db 9934 outage
sqlite3 secondary.db "$twice; $twice"
make_patch split.sql primary.db secondary.db
grep -q '^-- Plan: 10001 rows to add, in 2 transactions$' split.sql
$hm primary.db secondary.db -o split-out.db > /dev/null
cp primary.db split.db
apply_patch split.db split.sql
assert_eq 10001 "$(added_by_patch)" "rows added, split"
same_rows split.db split-out.db "a double click split in two transactions"
apply_patch split.db split.sql
assert_eq 0 "$(added_by_patch)" "rows added, split, the second time"
sqlite3 primary.db "$twice"
apply_patch primary.db split.sql
assert_eq 10000 "$(added_by_patch)" "rows added, split, beside the service's copy"
assert_eq 2 "$(rows primary.db "page_url = '/twice'")" "the double click, split"
