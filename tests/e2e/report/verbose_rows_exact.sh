# -v's "reading took ... (N rows)" counts every row of the inputs, exactly: the rows counted in
# batches of 4096 and the rest of the last batch, whether the scan reads them one by one or, with
# the optimisations, finds them on pages the primary holds byte for byte (then they count once in
# each input, as read). Inputs with fewer rows than a batch, and with more.
. "$(dirname "$0")/../common.inc"
# read_rows INPUT...: the rows a dry run with -v says it read.
read_rows() {
  $hm -n -v "$@" 2>&1 >/dev/null |
    sed -n 's/^heatmap-merge: reading took [0-9.]*[mun]*s (\([0-9]*\) rows)$/\1/p'
}
# expect_read INPUT...: the rows read are the inputs' rows together, counted by sqlite3 (after
# the run, so that sqlite3 closing a WAL input cannot change what the run reads).
expect_read() {
  got=$(read_rows "$@")
  total=0
  for input in "$@"; do
    total=$((total + $(rows "$input")))
  done
  assert_eq "$total" "$got" "rows read from $*"
}

# big.db: the primary's rows 16 times over (6400: a batch and part of one); big-more.db: the
# same file and 3 rows more, so that all but its last page are the same as big.db's.
cp primary.db big.db
for round in 1 2 3 4; do
  sqlite3 big.db "INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height,
      scroll_y, user_agent, created_at)
    SELECT page_url, x + 1000 * $round, y, viewport_width, viewport_height, scroll_y, user_agent,
      created_at FROM click_events"
done
assert_eq 6400 "$(rows big.db)" "rows of big.db"
cp big.db big-more.db
sqlite3 big-more.db "INSERT INTO click_events (page_url, x, y, created_at)
  VALUES ('/more', 1, 1, '2026-02-18 12:00:00'), ('/more', 2, 2, '2026-02-18 12:00:01'),
    ('/more', 3, 3, '2026-02-18 12:00:02')"

expect_read primary.db secondary.db
expect_read primary.db secondary-wal.db
expect_read day-primary.db day-secondary.db
expect_read big.db big-more.db
expect_read big.db secondary.db day-secondary.db

# With the optimisations, most of big-more.db is found on big.db's pages: more than a batch of
# rows read by that other scan, which has a remainder of its own to count.
if [ -z "${HEATMAP_MERGE_NO_OPTIMIZATIONS:-}" ]; then
  $hm -n -v big.db big-more.db 2> log > /dev/null
  shared=$(sed -n 's/^heatmap-merge: \([0-9]*\) rows of big-more.db are on pages that big.db holds.*/\1/p' log)
  test "${shared:-0}" -gt 4096 || { echo "rows on shared pages: '$shared'" >&2; cat log >&2; exit 1; }
fi
