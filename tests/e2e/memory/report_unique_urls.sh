# The report keeps within --memory-limit when every added click has its own page URL (a query
# string such as fbclid): the rows per page are counted in spilled runs, not one entry a page.
. "$(dirname "$0")/../common.inc"
if grep -q '^HEATMAP_MERGE_SANITIZE:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  skip "the sanitizers' own memory would be measured"
fi
# 200,000 clicks, four a second, each on a URL of its own; /home takes 3 of them twice more.
sqlite3 unique.db < "$testdata/schema.sql"
sqlite3 unique.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 199994)
  INSERT INTO click_events (page_url, x, y, created_at)
  SELECT printf('/landing?fbclid=%08x%08x', i * 2654435761 % 4294967296, i), i % 1280, i % 800,
    datetime(1772323200 + i / 4, 'unixepoch')
  FROM n;
  INSERT INTO click_events (page_url, x, y, created_at)
  SELECT '/home', id, id, datetime(1772323200 + id, 'unixepoch') FROM click_events WHERE id <= 6"
# The budget plus what the man page leaves beside it (the report's timelines, SQLite's caches,
# the code): a few MiB, here 16.
limit_kib=$((64 * 1024 + 16 * 1024))
check_peak() {
  peak=$(tail -n 1 peak)
  if [ "$peak" -gt $limit_kib ]; then
    echo "$1: peak memory $peak KiB, above $limit_kib KiB" >&2
    exit 1
  fi
}
/usr/bin/time -f %M -o peak "$hm" --memory-limit 64MiB --format summary -o out.db primary.db \
  unique.db > summary 2> err
check_peak summary
grep -q '^heatmap-merge: 200000 rows added to out.db from unique.db' summary
assert_eq 200400 "$(rows out.db)" "rows out"
/usr/bin/time -f %M -o peak "$hm" --memory-limit 64MiB --format json -n primary.db unique.db \
  > report.json 2> err
check_peak json
# Exact all the same: the busiest page first, then the first of the single ones in byte order.
assert_eq '{"page":"/home","rows_added":6}' "$(jq -c '.pages[0]' report.json)" "busiest page"
assert_eq 10 "$(jq '.pages | length' report.json)" "pages listed"
assert_eq "$(jq -r '.pages[1:][].page' report.json | LC_ALL=C sort)" \
  "$(jq -r '.pages[1:][].page' report.json)" "single pages in byte order"
assert_eq 1 "$(jq '.pages[9].rows_added' report.json)" "rows of the tenth page"
assert_eq '{"pages":199985,"rows_added":199985}' "$(jq -c '.other_pages' report.json)" \
  "other pages"
