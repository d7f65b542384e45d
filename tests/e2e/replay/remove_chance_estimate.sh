# The chance estimate counts the primary's own pass (--remove-replays, and -o --peers, which turns
# it on): a primary row that no secondary row paired with, with an identical primary row that one
# did pair with more than once and at most twice the replay window away, counts, beside the
# secondary's rows counted as before; the JSON gives the primary's part apart, the other formats
# beside the count of rows removed. Without --remove-replays the primary's rows are not counted.
. "$(dirname "$0")/../common.inc"
schema=$(sqlite3 primary.db .schema | grep -v sqlite_sequence)
for node in a b; do
  sqlite3 "$node.db" "$schema"
done
ins() {
  sqlite3 "$1" "INSERT INTO click_events(id, page_url, x, y, viewport_width, viewport_height,
    scroll_y, user_agent, created_at) VALUES ($2, '/p', $3, 10, 1280, 800, 0, 'ua', '$4')"
}
# Replay window 1h. A click on both nodes (a's 1, paired with b's by the window); a's copy 10
# minutes later (2) goes; a's 3, 90 minutes after 1, is in its band: 1 for the primary's pass;
# a's 4, 3 hours after 1, is not (2 and 3 are no partners: no secondary row paired with them).
ins a.db 1 100 '2026-03-01 10:00:00.000'
ins b.db 1 100 '2026-03-01 10:00:00.005'
ins a.db 2 100 '2026-03-01 10:10:00.000'
ins a.db 3 100 '2026-03-01 11:30:00.000'
ins a.db 4 100 '2026-03-01 13:00:00.000'
# Another click on both (a's 6), and a's 5, 100 minutes before it: 1 more for the primary's pass.
ins a.db 5 200 '2026-03-01 08:20:00.000'
ins a.db 6 200 '2026-03-01 10:00:00.000'
ins b.db 6 200 '2026-03-01 10:00:00.005'
# b's 7, which nothing pairs with, has a's 7 90 minutes after it: 1 for the secondary's.
ins b.db 7 300 '2026-03-01 15:00:00.000'
ins a.db 7 300 '2026-03-01 16:30:00.000'

json() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}
opts="--window 1s --replay-window 1h"
# shellcheck disable=SC2086
$hm -n $opts --remove-replays --format json a.db b.db > removing.json
assert_eq 1 "$(json removing.json 'r["replay"]["primary_replayed_removed"]')" "rows removed"
assert_eq 3 "$(json removing.json 'r["replay"]["chance_pairs"]')" "chance pairs"
assert_eq 2 "$(json removing.json 'r["replay"]["chance_pairs_primary"]')" "of them the primary's"

# shellcheck disable=SC2086
$hm -n $opts --format json a.db b.db > keeping.json
assert_eq 1 "$(json keeping.json 'r["replay"]["chance_pairs"]')" "chance pairs, not removing"
assert_eq False "$(json keeping.json '"chance_pairs_primary" in r["replay"]')" \
  "the primary's part, not removing"

# shellcheck disable=SC2086
$hm -n $opts --remove-replays a.db b.db > removing.txt
grep -qxF '  by chance alone: about 3 (identical rows 1h to 2h apart)' removing.txt
grep -qxF '  replayed duplicates removed from the primary: 1 (by chance alone: about 2)' removing.txt
# shellcheck disable=SC2086
$hm -n $opts a.db b.db > keeping.txt
grep -qxF '  by chance alone: about 1 (identical rows 1h to 2h apart)' keeping.txt
# shellcheck disable=SC2086
$hm -n $opts --remove-replays --format markdown a.db b.db > removing.md
grep -qxF -- '- by chance alone: about 3 (identical rows 1h to 2h apart)' removing.md
grep -qxF -- '- replayed duplicates removed from the primary: 1 (by chance alone: about 2)' removing.md
# shellcheck disable=SC2086
$hm -n $opts --remove-replays --format html a.db b.db > removing.html
grep -qF 'By chance alone: about 3 (identical rows 1h to 2h apart).' removing.html
grep -qF '<p>Replayed duplicates removed from the primary: 1 (by chance alone: about 2).</p>' \
  removing.html

# -o --peers removes the first node's replayed duplicates, and counts them alike.
# shellcheck disable=SC2086
$hm $opts --peers -o union.db --format json a.db b.db > union.json
assert_eq 3 "$(json union.json 'r["replay"]["chance_pairs"]')" "chance pairs of the union"
assert_eq 2 "$(json union.json 'r["replay"]["chance_pairs_primary"]')" "the union's, the primary's"
assert_eq "1 3 4 5 6 7 8" \
  "$(sqlite3 union.db 'SELECT id FROM click_events ORDER BY id' | tr '\n' ' ' | sed 's/ $//')" \
  "rows of the union"
