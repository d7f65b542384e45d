#!/bin/sh
# Checks nodes made by bench/peers-generate.sh, and merges of them, against the truth:
#
#   bench/peers-check.sh [--as union|a|b] OUTPUT.db NODE_DIR
#       How many of the distinct clicks OUTPUT.db holds once, twice, more often, not at all, and
#       its rows that are no click of the truth (unknown), overall and per shape. An output row
#       is a copy of the click whose row in NODE_DIR/a.db or b.db has the same content (every
#       column but id; truth.txt's ambiguous_keys says no two clicks share one). So NODE_DIR
#       must hold the nodes as generated: merge copies of them.
#       --as union (default): a union (-o) must hold every distinct click exactly once.
#       --as a, --as b: that node after --peers --in-place: each click it held as often as it
#       held it (its own replayed duplicates stay, none is added), each click it lacked once.
#       Exit status 0 when the output meets that, 1 when not, 64/66 on usage.
#
#   bench/peers-check.sh --nodes [--chance] NODE_DIR
#       Re-derives truth.txt's figures from a.db and b.db (their created_at, not the
#       simulation's numbers), checks that every copy of a click has its payload, that each
#       node's first copy of a click is its own write when it has one (replays come later),
#       and shows the shapes: the gap between a click's first copies on the two nodes and the
#       delay of replayed duplicates. --chance adds chance coincidences: rows with a row of
#       another click, the same payload, within 1 s, 1 min, 1 h (double clicks included).
#       Exit status 1 if any figure differs.
#
# Needs the sqlite3 CLI. At 1M clicks per node, CPU time: an output 11 s, --nodes 27 s, --chance 66 s.
set -eu

usage() {
  echo "usage: $0 [--as union|a|b] OUTPUT.db NODE_DIR" >&2
  echo "       $0 --nodes [--chance] NODE_DIR" >&2
  exit 64
}
mode=union
chance=0
case ${1:-} in
--nodes)
  mode=nodes
  case $# in
  2) dir=$2 ;;
  3) [ "$2" = --chance ] || usage; chance=1; dir=$3 ;;
  *) usage ;;
  esac
  ;;
--as)
  [ $# -eq 4 ] || usage
  mode=$2
  out=$3
  dir=$4
  ;;
--as=*)
  [ $# -eq 3 ] || usage
  mode=${1#--as=}
  out=$2
  dir=$3
  ;;
-*) usage ;;
*)
  [ $# -eq 2 ] || usage
  out=$1
  dir=$2
  ;;
esac
case $mode in union | a | b | nodes) ;; *) usage ;; esac
for f in a.db b.db truth.db truth.txt; do
  [ -r "$dir/$f" ] || {
    echo "$0: no $dir/$f (run bench/peers-generate.sh first)" >&2
    exit 66
  }
done
if [ "$mode" != nodes ] && [ ! -r "$out" ]; then
  echo "$0: cannot read $out" >&2
  exit 66
fi
truth() { sed -n "s/^$1=//p" "$dir/truth.txt"; }

# The nodes must be as generated: their row counts are the truth's.
ra=$(sqlite3 -readonly "$dir/a.db" 'SELECT count(*) FROM click_events')
rb=$(sqlite3 -readonly "$dir/b.db" 'SELECT count(*) FROM click_events')
if [ "$ra" != "$(truth rows_a)" ] || [ "$rb" != "$(truth rows_b)" ]; then
  echo "$0: $dir/a.db and b.db hold $ra and $rb rows, the truth $(truth rows_a) and $(truth rows_b):" \
    "not the nodes as generated" >&2
  exit 66
fi

# created_at as exact microseconds (the generator writes 'YYYY-MM-DD HH:MM:SS.ffffff').
# (strftime's own parse keeps milliseconds and rounds: .9996 would count as the next second.)
us="(CAST(strftime('%s', substr(created_at, 1, 19)) AS INTEGER) * 1000000 + CAST(substr(created_at, 21, 6) AS INTEGER))"

if [ "$mode" != nodes ]; then
  result=$(sqlite3 -readonly "file:$out?mode=ro" <<SQL
.bail on
PRAGMA temp_store = FILE;
PRAGMA temp.cache_size = -65536;
PRAGMA cache_size = -65536;
ATTACH 'file:$dir/a.db?mode=ro' AS a;
ATTACH 'file:$dir/b.db?mode=ro' AS b;
ATTACH 'file:$dir/truth.db?mode=ro' AS t;
-- Every row content of the nodes, with its click.
CREATE TEMP TABLE km AS
SELECT DISTINCT n.created_at, n.page_url, n.x, n.y, n.viewport_width AS vw,
       n.viewport_height AS vh, n.scroll_y, n.user_agent AS ua, r.click
FROM (SELECT 'a' AS node, * FROM a.click_events UNION ALL SELECT 'b', * FROM b.click_events) AS n
JOIN t.rows AS r ON r.node = n.node AND r.id = n.id;
CREATE INDEX temp.km_key ON km(created_at, page_url, x, y);
CREATE TEMP TABLE hit AS
SELECT o.id, (SELECT km.click FROM km
              WHERE km.created_at = o.created_at AND km.page_url = o.page_url AND km.x = o.x
                AND km.y = o.y AND km.vw IS o.viewport_width AND km.vh IS o.viewport_height
                AND km.scroll_y IS o.scroll_y AND km.ua IS o.user_agent) AS click
FROM main.click_events AS o;
CREATE TEMP TABLE held AS SELECT click, count(*) AS n FROM hit WHERE click IS NOT NULL GROUP BY click;
-- Each distinct click: its shape, how often the output holds it, how often it should.
CREATE TEMP TABLE cmp AS
SELECT c.click,
       CASE WHEN c.copies_a > 0 AND c.copies_b > 0
            THEN CASE WHEN abs(c.first_a_us - c.first_b_us) > 1000000
                      THEN 'on both, > 1 s apart' ELSE 'on both, <= 1 s apart' END
            WHEN c.copies_a > 0 THEN 'only on a' ELSE 'only on b' END AS shape,
       c.copies_a > 1 OR c.copies_b > 1 AS dup, c.dbl > 0 AS dbl,
       coalesce(held.n, 0) AS n,
       CASE '$mode' WHEN 'a' THEN max(c.copies_a, 1) WHEN 'b' THEN max(c.copies_b, 1) ELSE 1 END AS want
FROM t.clicks AS c LEFT JOIN held USING (click)
WHERE c.copies_a + c.copies_b > 0;
.mode list
.separator =
SELECT 'rows', count(*) FROM hit;
SELECT 'distinct_clicks', count(*) FROM cmp;
SELECT 'clicks_once', sum(n = 1) FROM cmp;
SELECT 'clicks_twice', sum(n = 2) FROM cmp;
SELECT 'clicks_more', sum(n > 2) FROM cmp;
SELECT 'clicks_missing', sum(n = 0) FROM cmp;
SELECT 'rows_unknown', count(*) FROM hit WHERE click IS NULL;
SELECT 'clicks_as_expected', sum(n = want) FROM cmp;
SELECT 'clicks_short', sum(n < want) FROM cmp;
SELECT 'clicks_extra', sum(n > want) FROM cmp;
.separator |
SELECT 'shape', shape || CASE WHEN dup THEN ', duplicated on a node' ELSE '' END
                      || CASE WHEN dbl THEN ', double click' ELSE '' END,
       count(*), sum(n = 1), sum(n = 2), sum(n > 2), sum(n = 0), sum(n <> want)
FROM cmp GROUP BY 2 ORDER BY 2;
SQL
  )
  get() { printf '%s\n' "$result" | sed -n "s/^$1=//p"; }
  printf '%s\n' "$result" | grep -v '^shape|'
  echo
  echo "shape | clicks | once | twice | more | missing | not as expected ($mode)"
  printf '%s\n' "$result" | sed -n 's/^shape|//p'
  echo
  if [ "$(get clicks_short)" = 0 ] && [ "$(get clicks_extra)" = 0 ] &&
    [ "$(get rows_unknown)" = 0 ]; then
    case $mode in
    union) echo "OK: each of the $(get distinct_clicks) distinct clicks once" ;;
    *) echo "OK: as node $mode after --peers --in-place: each click it lacked once, none added twice" ;;
    esac
    exit 0
  fi
  echo "NOT OK ($mode): $(get clicks_short) clicks short, $(get clicks_extra) extra, $(get rows_unknown) unknown rows"
  exit 1
fi

# ---- --nodes: the figures again, from the files.
# Chance (--chance): rows that have a row of another click with the very same payload within
# W (1 s, 1 min, 1 h) on either node, which a replay window of W could pair by mistake.
chance_sql=
if [ "$chance" = 1 ]; then
  chance_sql="CREATE TEMP TABLE cls AS SELECT DISTINCT page_url, x, y, vw, vh, scroll_y, ua FROM fr;
CREATE INDEX temp.cls_all ON cls(page_url, x, y, vw, vh, scroll_y, ua);
CREATE TEMP TABLE pr AS
SELECT cls.rowid AS k, fr.click, fr.t FROM fr JOIN cls USING (page_url, x, y, vw, vh, scroll_y, ua);
DROP TABLE cls;
CREATE TEMP TABLE co AS SELECT"
  for w in 1000000 60000000 3600000000; do
    chance_sql="$chance_sql
  count(*) OVER (PARTITION BY k ORDER BY t RANGE BETWEEN $w PRECEDING AND $w FOLLOWING)
  - count(*) OVER (PARTITION BY k, click ORDER BY t RANGE BETWEEN $w PRECEDING AND $w FOLLOWING) AS o$w,"
  done
  chance_sql="$chance_sql 0 AS z FROM pr;
SELECT 'chance', '1 s', sum(o1000000 > 0) FROM co;
SELECT 'chance', '1 min', sum(o60000000 > 0) FROM co;
SELECT 'chance', '1 h', sum(o3600000000 > 0) FROM co;"
fi
result=$(sqlite3 -readonly "file:$dir/truth.db?mode=ro" <<SQL
.bail on
PRAGMA temp_store = FILE;
PRAGMA temp.cache_size = -65536;
PRAGMA cache_size = -65536;
ATTACH 'file:$dir/a.db?mode=ro' AS a;
ATTACH 'file:$dir/b.db?mode=ro' AS b;
CREATE TEMP TABLE fr AS
SELECT n.node, n.id, r.click, r.kind, n.page_url, n.x, n.y, n.viewport_width AS vw,
       n.viewport_height AS vh, n.scroll_y, n.user_agent AS ua, n.created_at, $us AS t
FROM (SELECT 'a' AS node, * FROM a.click_events UNION ALL SELECT 'b', * FROM b.click_events) AS n
LEFT JOIN main.rows AS r ON r.node = n.node AND r.id = n.id;
CREATE TEMP TABLE pc AS
SELECT click, sum(node = 'a') AS ca, sum(node = 'b') AS cb,
       min(CASE WHEN node = 'a' THEN t END) AS fa, min(CASE WHEN node = 'b' THEN t END) AS fb,
       max(kind = 'w' AND node = 'a') AS own_a, max(kind = 'w' AND node = 'b') AS own_b,
       min(page_url) <> max(page_url) OR min(x) <> max(x) OR min(y) <> max(y)
         OR min(vw) <> max(vw) OR min(vh) <> max(vh) OR min(scroll_y) <> max(scroll_y)
         OR min(ua) <> max(ua) AS mixed,
       min(t) <> max(t) AS instants,
       min(page_url) AS p, min(x) AS x, min(y) AS y, min(vw) AS vw, min(vh) AS vh,
       min(scroll_y) AS sy, min(ua) AS ua
FROM fr WHERE click IS NOT NULL GROUP BY click;
.mode list
.separator =
SELECT 'rows_without_truth', count(*) FROM fr WHERE click IS NULL;
SELECT 'truth_rows_without_row', (SELECT count(*) FROM main.rows) - count(*) FROM fr WHERE click IS NOT NULL;
SELECT 'clicks_with_two_payloads', sum(mixed) FROM pc;
SELECT 'clicks_with_two_instants', sum(instants) FROM pc;
-- Each node's first copy of a click is its own write, when it has one.
SELECT 'own_write_not_first', count(*) FROM fr JOIN (SELECT node, click, min(t) AS t0 FROM fr
  WHERE click IS NOT NULL GROUP BY node, click) AS f USING (node, click)
  WHERE fr.kind = 'w' AND fr.t > f.t0;
SELECT 'ambiguous_keys', count(*) FROM (SELECT 1 FROM (SELECT DISTINCT click, created_at, page_url, x, y FROM fr
  WHERE t IN (SELECT t FROM fr GROUP BY t HAVING min(click) <> max(click)))
  GROUP BY created_at, page_url, x, y HAVING count(*) > 1);
SELECT 'events', count(*) FROM main.clicks;
SELECT 'distinct_clicks', count(*) FROM pc;
SELECT 'on_a', sum(ca > 0) FROM pc;
SELECT 'on_b', sum(cb > 0) FROM pc;
SELECT 'on_both', sum(ca > 0 AND cb > 0) FROM pc;
SELECT 'only_a', sum(cb = 0) FROM pc;
SELECT 'only_b', sum(ca = 0) FROM pc;
SELECT 'rows_a', sum(ca) FROM pc;
SELECT 'rows_b', sum(cb) FROM pc;
SELECT 'replayed_dup_a', sum(max(ca - 1, 0)) FROM pc;
SELECT 'replayed_dup_b', sum(max(cb - 1, 0)) FROM pc;
SELECT 'cross_replays', sum(ca > 0 AND cb > 0 AND abs(fa - fb) > 1000000) FROM pc;
SELECT 'cross_replays_by_timeout', sum(ca > 0 AND cb > 0 AND abs(fa - fb) > 1000000 AND own_a AND own_b) FROM pc;
-- A double click: two clicks of one payload (the second's dbl = 2 follows the first's).
-- (A click of the pair on neither node counts as it is: the truth cannot be seen in the files.)
SELECT 'double_clicks', count(*) FROM main.clicks AS s JOIN main.clicks AS f ON f.click = s.click - 1
  AND f.dbl = 1 AND s.dbl = 2
  LEFT JOIN pc AS ps ON ps.click = s.click LEFT JOIN pc AS pf ON pf.click = f.click
  WHERE ps.click IS NULL OR pf.click IS NULL
     OR (ps.p = pf.p AND ps.x = pf.x AND ps.y = pf.y AND ps.vw = pf.vw AND ps.vh = pf.vh
         AND ps.sy = pf.sy AND ps.ua = pf.ua);
SELECT 'lost_a', (SELECT count(*) FROM main.clicks) - sum(ca > 0) FROM pc;
SELECT 'lost_b', (SELECT count(*) FROM main.clicks) - sum(cb > 0) FROM pc;
SELECT 'lost_both', (SELECT count(*) FROM main.clicks) - count(*) FROM pc;
.separator |
-- The shapes: the gap between a click's first copies, and replayed duplicates' delays.
CREATE TEMP TABLE buckets(name TEXT, lo INTEGER, hi INTEGER);
INSERT INTO buckets VALUES ('0', -1, 0), ('<= 10 ms', 0, 10000), ('<= 100 ms', 10000, 100000),
  ('<= 1 s', 100000, 1000000), ('<= 1.1 s', 1000000, 1100000), ('<= 1 min', 1100000, 60000000),
  ('<= 1 h', 60000000, 3600000000), ('> 1 h', 3600000000, 1000000000000000);
SELECT 'gap', b.name, count(g) FROM buckets AS b LEFT JOIN
  (SELECT abs(fa - fb) AS g FROM pc WHERE ca > 0 AND cb > 0) ON g > b.lo AND g <= b.hi
  GROUP BY b.name ORDER BY b.lo;
SELECT 'dup', b.name, count(CASE WHEN d.node = 'a' THEN 1 END), count(CASE WHEN d.node = 'b' THEN 1 END) FROM buckets AS b LEFT JOIN
  (SELECT fr.node, fr.t - f.t0 AS g FROM fr JOIN (SELECT node, click, min(t) AS t0, min(id) AS id0
     FROM fr WHERE click IS NOT NULL GROUP BY node, click) AS f USING (node, click)
   WHERE fr.id <> f.id0) AS d ON d.g > b.lo AND d.g <= b.hi
  GROUP BY b.name ORDER BY b.lo;
$chance_sql
SQL
)
# Each figure against truth.txt; the consistency counts must be 0.
status=0
printf '%s\n' "$result" | grep -v '|' | awk -v time="$(truth time)" '
  NR == FNR { i = index($0, "="); truth[substr($0, 1, i - 1)] = substr($0, i + 1); next }
  {
    i = index($0, "="); key = substr($0, 1, i - 1); value = substr($0, i + 1)
    if (key ~ /^(rows_without_truth|truth_rows_without_row|clicks_with_two_payloads|own_write_not_first)$/)
      want = 0
    else if (key == "clicks_with_two_instants")
      want = time == "browser" ? 0 : value
    else
      want = truth[key]
    if (value == want) printf "%-28s %12s  OK\n", key, value
    else { printf "%-28s %12s  MISMATCH (truth: %s)\n", key, value, want; bad = 1 }
  }
  END { exit bad }' "$dir/truth.txt" - || status=1
echo
echo "first copies on both nodes, A-B gap | clicks"
printf '%s\n' "$result" | sed -n 's/^gap|//p'
echo
echo "replayed duplicates, delay after the node's first copy | on a | on b"
printf '%s\n' "$result" | sed -n 's/^dup|//p'
if [ "$chance" = 1 ]; then
  echo
  echo "chance, W | rows with a row of another click, the same payload, within W (either node)"
  printf '%s\n' "$result" | sed -n 's/^chance|//p'
fi
exit $status
