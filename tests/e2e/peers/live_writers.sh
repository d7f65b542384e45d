# --peers --in-place while the service writes to both nodes the whole time (a live writer on
# each, one row per transaction, Python's 5 s busy timeout), in both journal modes: no writer
# sees an error, every row either node held or was written stays, each node is given the rows
# only the other held, once; and once the writers stop, a second run leaves both nodes holding
# the same clicks.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
# The clicks of a node, without its ids, one a line, sorted.
clicks() {
  sqlite3 "$1" "SELECT page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
    created_at FROM click_events ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
}
for journal in delete wal; do
  rm -rf "$journal"
  mkdir "$journal"
  cp primary.db "$journal/a.db"
  cp primary.db "$journal/b.db"
  # 20,000 clicks only on each node: many short transactions into each.
  grow "$journal/a.db" 20000 only_a
  grow "$journal/b.db" 20000 only_b
  for node in a b; do
    sqlite3 "$journal/$node.db" "PRAGMA journal_mode = $journal" > /dev/null
  done
  before_a=$(rows "$journal/a.db")
  before_b=$(rows "$journal/b.db")
  "$LIVE_WRITER" "$journal/a.db" 5 /live_a > "$journal/writer_a.out" 2> "$journal/writer_a.err" &
  writer_a=$!
  "$LIVE_WRITER" "$journal/b.db" 5 /live_b > "$journal/writer_b.out" 2> "$journal/writer_b.err" &
  writer_b=$!
  at_exit "kill $writer_a $writer_b 2>/dev/null || true"
  sleep 0.5
  $hm --peers --in-place --window 2s "$journal/a.db" "$journal/b.db" > "$journal/report" \
    2> "$journal/log"
  wait "$writer_a" || { cat "$journal/writer_a.err" >&2; exit 1; }
  wait "$writer_b" || { cat "$journal/writer_b.err" >&2; exit 1; }
  live_a=$(sed -n 's/^inserted \([0-9]*\) errors 0$/\1/p' "$journal/writer_a.out")
  live_b=$(sed -n 's/^inserted \([0-9]*\) errors 0$/\1/p' "$journal/writer_b.out")
  test "$live_a" -gt 10
  test "$live_b" -gt 10
  for node in a b; do
    db=$journal/$node.db
    assert_eq ok "$(sqlite3 "$db" 'PRAGMA integrity_check')" "$journal: integrity of $node"
    assert_eq 20000 "$(rows "$db" "page_url LIKE '/only_a/%'")" "$journal: a's own clicks on $node"
    assert_eq 20000 "$(rows "$db" "page_url LIKE '/only_b/%'")" "$journal: b's own clicks on $node"
  done
  assert_eq "$live_a" "$(rows "$journal/a.db" "page_url = '/live_a'")" "$journal: live rows of a"
  assert_eq "$live_b" "$(rows "$journal/b.db" "page_url = '/live_b'")" "$journal: live rows of b"
  test "$(rows "$journal/a.db")" -ge $((before_a + 20000 + live_a))
  test "$(rows "$journal/b.db")" -ge $((before_b + 20000 + live_b))
  # The writers have stopped: a second run gives each node the other's live rows it lacks.
  $hm --peers --in-place -q --window 2s "$journal/a.db" "$journal/b.db"
  clicks "$journal/a.db" > "$journal/a.clicks"
  clicks "$journal/b.db" > "$journal/b.clicks"
  cmp "$journal/a.clicks" "$journal/b.clicks"
  assert_eq "$live_b" "$(rows "$journal/a.db" "page_url = '/live_b'")" "$journal: b's live rows on a"
done
