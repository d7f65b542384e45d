#!/bin/sh
# Cross-checks the figures generate.sh wrote to DIR/expected.txt against the files themselves,
# with plain SQL that knows nothing of how they were made (about 15 s for 1M events):
#
#   bench/check-expected.sh DIR
#
# - the multiset count: the sum over every (page_url, x, y, created_at) key of max(m, n), m and
#   n its copies on the primary and the secondary (created_at is written alike on both, so
#   text equality is instant equality here) = rows_out_exact;
# - the NOT EXISTS count: the primary plus the secondary rows of keys the primary lacks
#   = rows_out_not_exists;
# - the shared history: the secondary's first shared_rows rows equal the primary's, id for id;
# - for each secondary row past the shared history, the primary rows with the same
#   page_url, x, y within 2 s: none for an outage row, exactly one for a retried click
#   (1.3 to 1.7 s earlier) and for a split double click (the same instant). So with any window
#   of at least 1.7 s every retried click has one partner and nothing else can match:
#   rows_out_window = rows_out_exact - failover_duplicates.
# Prints each check and exits 1 if any fails.
set -eu
[ $# -eq 1 ] || {
  echo "usage: $0 DIR" >&2
  exit 64
}
dir=$1
for f in primary.db secondary.db expected.txt; do
  [ -r "$dir/$f" ] || {
    echo "$0: no $dir/$f (run bench/generate.sh first)" >&2
    exit 66
  }
done
get() { sed -n "s/^$1=//p" "$dir/expected.txt"; }
shared=$(get shared_rows)

result=$(sqlite3 -readonly "$dir/primary.db" <<SQL
.bail on
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -262144;
ATTACH 'file:$dir/secondary.db?mode=ro' AS s;
.mode list
.separator =
WITH rows AS (
  SELECT page_url, x, y, created_at, 1 AS p, 0 AS q FROM main.click_events
  UNION ALL
  SELECT page_url, x, y, created_at, 0, 1 FROM s.click_events),
keys AS (SELECT sum(p) AS m, sum(q) AS n FROM rows GROUP BY page_url, x, y, created_at)
SELECT 'multiset', sum(max(m, n)) FROM keys
UNION ALL SELECT 'not_exists', sum(m) + sum(CASE WHEN m = 0 THEN n ELSE 0 END) FROM keys
UNION ALL SELECT 'split_keys', sum(m >= 1 AND n > m) FROM keys;

SELECT 'shared_equal', count(*) FROM s.click_events AS b JOIN main.click_events AS a USING (id)
WHERE b.id <= $shared AND a.page_url = b.page_url AND a.x = b.x AND a.y = b.y
  AND a.viewport_width IS b.viewport_width AND a.viewport_height IS b.viewport_height
  AND a.scroll_y IS b.scroll_y AND a.user_agent IS b.user_agent AND a.created_at = b.created_at;

CREATE TEMP TABLE pk AS
SELECT page_url, x, y, julianday(created_at) * 86400.0 AS t FROM main.click_events;
CREATE INDEX temp.pk_key ON pk(page_url, x, y, t);
CREATE TEMP TABLE cand AS
SELECT b.id,
       (SELECT count(*) FROM pk WHERE pk.page_url = b.page_url AND pk.x = b.x AND pk.y = b.y
          AND pk.t BETWEEN julianday(b.created_at) * 86400.0 - 2
                       AND julianday(b.created_at) * 86400.0 + 2) AS c,
       (SELECT min(julianday(b.created_at) * 86400.0 - pk.t) FROM pk
        WHERE pk.page_url = b.page_url AND pk.x = b.x AND pk.y = b.y
          AND pk.t BETWEEN julianday(b.created_at) * 86400.0 - 2
                       AND julianday(b.created_at) * 86400.0 + 2) AS d
FROM s.click_events AS b WHERE b.id > $shared;
SELECT 'no_partner', sum(c = 0) FROM cand;
SELECT 'one_partner_same_instant', sum(c = 1 AND abs(d) < 0.0005) FROM cand;
SELECT 'one_partner_1.3_to_1.7s', sum(c = 1 AND d BETWEEN 1.2995 AND 1.7005) FROM cand;
SELECT 'other', sum(NOT (c = 0 OR c = 1 AND (abs(d) < 0.0005 OR d BETWEEN 1.2995 AND 1.7005))) FROM cand;
SQL
)
val() { echo "$result" | sed -n "s/^$1=//p"; }

fail=0
check() { # NAME GOT WANT
  if [ "$2" = "$3" ]; then
    echo "ok        $1: $2"
  else
    echo "MISMATCH  $1: $2, expected $3"
    fail=1
  fi
}
check "exact multiset rows" "$(val multiset)" "$(get rows_out_exact)"
check "NOT EXISTS rows" "$(val not_exists)" "$(get rows_out_not_exists)"
check "split double-click keys" "$(val split_keys)" "$(get double_clicks_split)"
check "shared rows equal id for id" "$(val shared_equal)" "$shared"
check "outage rows with no primary row within 2 s" "$(val no_partner)" "$(get outage_rows)"
check "split copies with one partner, same instant" "$(val one_partner_same_instant)" \
  "$(($(get double_clicks_split) * 2))"
check "retried clicks with one partner 1.3-1.7 s earlier" "$(val 'one_partner_1.3_to_1.7s')" \
  "$(get failover_duplicates)"
check "secondary rows matching anything else" "$(val other)" 0
check "window rows = exact - failover" "$(get rows_out_window)" \
  "$(($(get rows_out_exact) - $(get failover_duplicates)))"
exit $fail
