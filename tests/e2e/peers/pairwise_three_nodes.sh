# Three nodes merged two at a time, as the refusal of --peers with three says (a b, then a c,
# then b c, --in-place): each node lacks something different, and all three end with the same
# clicks, each once (a double click that two nodes hold stays two rows on the third); a second
# round gives nothing; -o two at a time (a b into ab.db, then ab.db c) writes the same clicks.
. "$(dirname "$0")/../common.inc"
for node in a b c; do
  sqlite3 $node.db < "$testdata/schema.sql"
done
# click NODE PAGE X TIME: one row; each click has a page and x of its own, so the clicks can be
# compared without their times (each node's copy has its own).
click() {
  sqlite3 "$1" "INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height,
    scroll_y, user_agent, created_at) VALUES ('$2', $3, 10, 1280, 800, 0, 'ua', '$4')"
}
# On all three, each copy a few ms after the one before.
click a.db /all 1 '2026-02-01 10:00:00.000'
click b.db /all 1 '2026-02-01 10:00:00.005'
click c.db /all 1 '2026-02-01 10:00:00.010'
# a lacks x, b lacks y, c lacks z.
click b.db /x 2 '2026-02-01 10:01:00.000'
click c.db /x 2 '2026-02-01 10:01:00.004'
click a.db /y 3 '2026-02-01 10:02:00.000'
click c.db /y 3 '2026-02-01 10:02:00.004'
click a.db /z 4 '2026-02-01 10:03:00.000'
click b.db /z 4 '2026-02-01 10:03:00.004'
# One click on each node alone.
click a.db /only-a 5 '2026-02-01 10:04:00.000'
click b.db /only-b 6 '2026-02-01 10:05:00.000'
click c.db /only-c 7 '2026-02-01 10:06:00.000'
# A double click (300 ms apart) that a and c hold and b lacks: b gets both.
click a.db /double 8 '2026-02-01 10:07:00.000'
click a.db /double 8 '2026-02-01 10:07:00.300'
click c.db /double 8 '2026-02-01 10:07:00.006'
click c.db /double 8 '2026-02-01 10:07:00.306'
mkdir before
cp a.db b.db c.db before/

opts="--window 1s --replay-window 1h"
given() {
  python3 -c 'import json, sys; print(" ".join(str(n["rows_added"]) for n in json.load(sys.stdin)["nodes"]))'
}
# The three pairs in turn. a b: a is given x and only-b, b y, only-a and the double click; a c:
# a only-c, c z, only-a and only-b; b c: b only-c.
# shellcheck disable=SC2086
assert_eq "2 4" "$($hm --peers --in-place $opts --format json a.db b.db | given)" "a b"
# shellcheck disable=SC2086
assert_eq "1 3" "$($hm --peers --in-place $opts --format json a.db c.db | given)" "a c"
# shellcheck disable=SC2086
assert_eq "1 0" "$($hm --peers --in-place $opts --format json b.db c.db | given)" "b c"

# clicks DB: the clicks, less their ids and times, in order.
clicks() {
  sqlite3 "$1" "SELECT page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent
    FROM click_events ORDER BY page_url, x, y"
}
want='/all|1.0|10.0|1280|800|0|ua
/double|8.0|10.0|1280|800|0|ua
/double|8.0|10.0|1280|800|0|ua
/only-a|5.0|10.0|1280|800|0|ua
/only-b|6.0|10.0|1280|800|0|ua
/only-c|7.0|10.0|1280|800|0|ua
/x|2.0|10.0|1280|800|0|ua
/y|3.0|10.0|1280|800|0|ua
/z|4.0|10.0|1280|800|0|ua'
for node in a b c; do
  assert_eq "$want" "$(clicks $node.db)" "the clicks of $node"
done
# A second round gives nothing.
for pair in "a.db b.db" "a.db c.db" "b.db c.db"; do
  # shellcheck disable=SC2086
  assert_eq "0 0" "$($hm --peers --in-place $opts --format json $pair | given)" "again: $pair"
done

# The union two at a time, from the nodes as they were.
# shellcheck disable=SC2086
$hm -q --peers $opts -o ab.db before/a.db before/b.db
# shellcheck disable=SC2086
$hm -q --peers $opts -o abc.db ab.db before/c.db
assert_eq "$want" "$(clicks abc.db)" "the clicks of the union"
