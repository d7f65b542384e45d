# Added rows that would take more memory than the keys took are not held in memory while the
# copy's integrity check runs: the check goes first, and their pages go to the file as they fill.
. "$(dirname "$0")/../common.inc"
if grep -q '^HEATMAP_MERGE_SANITIZE:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  skip "the sanitizers' own memory would be measured"
fi
# 100,000 clicks of 1 KB each (100 MB) that the primary does not have.
sqlite3 big.db < "$testdata/schema.sql"
sqlite3 big.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
  INSERT INTO click_events (page_url, x, y, user_agent, created_at)
  SELECT '/big', i, i, printf('%.1000c', 'u'), datetime('2026-03-01', '+' || i || ' seconds')
  FROM n"
# Read in place (--max-lock-hold 10s): this test is about memory, and on a loaded machine the
# private copy of the 132 MiB input can outlast the default 1 s and be given up (exit 75).
/usr/bin/time -f %M -o peak "$hm" -q --max-lock-hold 10s -o out.db primary.db big.db
assert_eq 100400 "$(rows out.db)" "rows out"
assert_eq ok "$(sqlite3 out.db 'PRAGMA integrity_check')" "integrity"
peak=$(tail -n 1 peak)
if [ "$peak" -gt 61440 ]; then
  echo "peak memory $peak KiB, above 60 MiB: the added rows were held in memory" >&2
  exit 1
fi
