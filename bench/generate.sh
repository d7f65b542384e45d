#!/bin/sh
# Builds a realistic, deterministic replica pair of the click service's heatmap.db:
#
#   bench/generate.sh EVENTS OUTDIR
#     -> OUTDIR/primary.db, OUTDIR/secondary.db, OUTDIR/expected.txt
#
# EVENTS real clicks are laid out on a timeline of three weeks (2026-02-01 onwards):
#
#   history   60% of the clicks. On both replicas with the same ids and the same rows: the
#             secondary was seeded from a copy of the primary.
#   outage     3% of the clicks, after a 90 s failover gap. Only on the secondary; its ids
#             continue from the seed and so collide with the primary's ids after the outage.
#   after     37% of the clicks, after another 90 s gap. On the primary. About 1 in 37 of them
#             timed out on the client (1 s) and was retried on the secondary: a failover
#             duplicate, logged there 1.0 to 1.4 s later plus 300 ms of constant clock skew
#             (1.3 to 1.7 s in all).
#   double clicks  two identical rows (same second, same spot): 6 in the history (twice on
#             each replica), 3 in the outage (twice on the secondary), 3 after it (twice on
#             the primary), and 3 "split" ones after it that the primary logged once and the
#             secondary twice (multiset semantics keeps 2 copies; NOT EXISTS keeps 1).
#
# Values: 40 page URLs with a skewed (hot) distribution; 12 user agents (78 to 137 chars, 115
# on average) with their viewports; x and y as REAL page coordinates (y includes scroll_y); 10 pages have 4
# hot spots each (buttons: integer coordinates, thousands of clicks on the same page+x+y);
# every other click has fractional coordinates; created_at is 'YYYY-MM-DD HH:MM:SS.ffffff'
# text, strictly increasing with the event (and, within each file, with id).
#
# The expected row counts of every merge are computed from the generator's own event flags,
# not from the files, and written to OUTDIR/expected.txt. They hold for these reasons, which
# the generator guarantees by construction:
#   - every click has its own instant (strictly increasing microseconds), so two rows are
#     exact duplicates only when the generator made them copies;
#   - failover duplicates and split double clicks are never on a hot spot and have fractional
#     coordinates (a hot spot's are integers), so within any window between 1.7 s and 90 s
#     each retried click has exactly one partner: its original on the primary;
#   - the 90 s gaps around the outage keep outage clicks away from any primary click.
# The figures are therefore valid for any --window from 1.7 s up to 90 s (2s in run.sh).
#
# Deterministic: the same EVENTS give the same rows (a hash of the event number stands in for
# randomness). Needs only the sqlite3 CLI. 1M events take about 11 s, 4M about 48 s.
set -eu

usage() {
  echo "usage: $0 EVENTS OUTDIR" >&2
  exit 64
}
[ $# -eq 2 ] || usage
events=$1
outdir=$2
case $events in
'' | *[!0-9]*) usage ;;
esac
if [ "$events" -lt 1000 ]; then
  echo "$0: EVENTS must be at least 1000" >&2
  exit 64
fi
command -v sqlite3 >/dev/null 2>&1 || {
  echo "$0: needs the sqlite3 CLI (apt-get install sqlite3)" >&2
  exit 69
}
here=$(cd "$(dirname "$0")" && pwd)
schema=$here/../testdata/schema.sql
[ -r "$schema" ] || {
  echo "$0: cannot read $schema" >&2
  exit 66
}

mkdir -p "$outdir"
tmp=$outdir/.generate.$$
rm -rf "$tmp"
mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM

sqlite3 "$tmp/primary.db" < "$schema"
sqlite3 "$tmp/secondary.db" < "$schema"

# One sqlite3 session builds the events once (in memory), then writes both files.
sqlite3 "$tmp/primary.db" > "$tmp/expected.txt" <<SQL
.bail on
.output /dev/null
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -262144;
ATTACH '$tmp/secondary.db' AS sec;
PRAGMA sec.journal_mode = OFF;
PRAGMA sec.synchronous = OFF;

CREATE TEMP TABLE params AS
SELECT $events AS events,
       $events * 60 / 100 AS h,                          -- history: events [0, h)
       $events * 60 / 100 + $events * 3 / 100 AS o_end, -- outage: [h, o_end); after: [o_end, events)
       1814400000000 / $events AS step_us,              -- three weeks of microseconds per event
       90000000 AS gap_us,                              -- failover gap before and after the outage
       strftime('%s', '2026-02-01 00:00:00') * 1000000 AS t0_us;

-- A few dozen pages: a skewed pick (idx = 40 * u^3) makes '/' about 29% of the traffic.
CREATE TEMP TABLE pages(idx INTEGER PRIMARY KEY, url TEXT NOT NULL);
INSERT INTO pages VALUES
 (0,'/'),(1,'/pricing'),(2,'/signup'),(3,'/features'),(4,'/blog/sqlite-merge'),
 (5,'/docs/getting-started'),(6,'/login'),(7,'/docs/api'),(8,'/about'),(9,'/contact'),
 (10,'/blog/heatmaps-101'),(11,'/docs/install'),(12,'/customers'),(13,'/careers'),
 (14,'/blog/failover-notes'),(15,'/docs/faq'),(16,'/security'),(17,'/changelog'),
 (18,'/integrations'),(19,'/integrations/wordpress'),(20,'/integrations/shopify'),
 (21,'/blog/clock-skew'),(22,'/docs/webhooks'),(23,'/docs/sdk/js'),(24,'/docs/sdk/python'),
 (25,'/partners'),(26,'/press'),(27,'/legal/privacy'),(28,'/legal/terms'),(29,'/status'),
 (30,'/demo'),(31,'/compare/hotjar'),(32,'/compare/matomo'),(33,'/blog/replicas'),
 (34,'/docs/retention'),(35,'/account/settings'),(36,'/account/billing'),(37,'/team'),
 (38,'/events'),(39,'/newsletter');

-- Hot spots (buttons) on the 10 busiest pages: integer coordinates, 4 per page.
CREATE TEMP TABLE spots(page INTEGER, k INTEGER, x REAL, y REAL, PRIMARY KEY (page, k));
WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < 9),
               s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 3)
INSERT INTO spots
SELECT i, k, 160 + ((i * 7 + k * 13) * 97) % 1100, 120 + ((i * 11 + k * 5) * 131) % 900
FROM p, s;

-- Devices: user agent and viewport; the pick is skewed towards the first rows.
CREATE TEMP TABLE devices(idx INTEGER PRIMARY KEY, ua TEXT NOT NULL, vw INTEGER, vh INTEGER);
INSERT INTO devices VALUES
 (0,'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36',1920,969),
 (1,'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',390,844),
 (2,'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36',1440,789),
 (3,'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.6167.101 Mobile Safari/537.36',412,915),
 (4,'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.0.0',1536,730),
 (5,'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2.1 Safari/605.1.15',1512,828),
 (6,'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:122.0) Gecko/20100101 Firefox/122.0',1366,657),
 (7,'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.230 Mobile Safari/537.36',360,780),
 (8,'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36',2560,1305),
 (9,'Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',820,1180),
 (10,'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0',1280,632),
 (11,'Mozilla/5.0 (Linux; Android 12; moto g(60)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36',393,851);

-- The events, one row per real click. r1..r5 are independent 31-bit hashes of the event
-- number (a 32-bit integer finaliser; SQLite has no XOR, so a ^ b is written (a | b) - (a & b)).
-- MATERIALIZED keeps SQLite from inlining each stage into the next: the stages use their
-- input four times, and inlined they would be evaluated 4^3 times per row.
-- region: 0 history, 1 outage, 2 after. dbl: 0 none, 1 double click, 2 split double click.
CREATE TEMP TABLE ev(
  i INTEGER PRIMARY KEY, region INTEGER, dbl INTEGER, fail INTEGER, hot INTEGER,
  page INTEGER, dev INTEGER, r3 INTEGER, r4 INTEGER, r5 INTEGER, t_us INTEGER);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT events FROM params) - 1),
s0 AS (
  SELECT i, (i * 2654435761 + 1) % 4294967296 AS a, (i * 2654435761 + 2971215073) % 4294967296 AS b,
            (i * 2654435761 + 1836311903) % 4294967296 AS c, (i * 2654435761 + 433494437) % 4294967296 AS d,
            (i * 2654435761 + 3010349) % 4294967296 AS e
  FROM n),
s1 AS MATERIALIZED (
  SELECT i, (((a | (a >> 16)) - (a & (a >> 16))) * 73244475) % 4294967296 AS a,
            (((b | (b >> 16)) - (b & (b >> 16))) * 73244475) % 4294967296 AS b,
            (((c | (c >> 16)) - (c & (c >> 16))) * 73244475) % 4294967296 AS c,
            (((d | (d >> 16)) - (d & (d >> 16))) * 73244475) % 4294967296 AS d,
            (((e | (e >> 16)) - (e & (e >> 16))) * 73244475) % 4294967296 AS e
  FROM s0),
s2 AS (
  SELECT i, (((a | (a >> 16)) - (a & (a >> 16))) * 73244475) % 4294967296 AS a,
            (((b | (b >> 16)) - (b & (b >> 16))) * 73244475) % 4294967296 AS b,
            (((c | (c >> 16)) - (c & (c >> 16))) * 73244475) % 4294967296 AS c,
            (((d | (d >> 16)) - (d & (d >> 16))) * 73244475) % 4294967296 AS d,
            (((e | (e >> 16)) - (e & (e >> 16))) * 73244475) % 4294967296 AS e
  FROM s1),
h AS MATERIALIZED (
  SELECT i, ((a | (a >> 16)) - (a & (a >> 16))) >> 1 AS r1,
            ((b | (b >> 16)) - (b & (b >> 16))) >> 1 AS r2,
            ((c | (c >> 16)) - (c & (c >> 16))) >> 1 AS r3,
            ((d | (d >> 16)) - (d & (d >> 16))) >> 1 AS r4,
            ((e | (e >> 16)) - (e & (e >> 16))) >> 1 AS r5
  FROM s2),
c AS (
  SELECT h.*, p.h, p.o_end, p.events, p.step_us, p.gap_us, p.t0_us,
         CASE WHEN i < p.h THEN 0 WHEN i < p.o_end THEN 1 ELSE 2 END AS region,
         CASE WHEN i < p.h THEN i WHEN i < p.o_end THEN i - p.h ELSE i - p.o_end END AS j,
         CASE WHEN i < p.h THEN p.h / 6 WHEN i < p.o_end THEN (p.o_end - p.h) / 3
              ELSE (p.events - p.o_end) / 6 END AS q
  FROM h, params AS p),
d AS (
  -- Double clicks at evenly spaced events: 6 in the history, 3 in the outage; after it, 6
  -- slots alternate a double click and a split one.
  SELECT c.*,
         CASE WHEN j % q = q / 2 AND j / q < CASE region WHEN 1 THEN 3 ELSE 6 END
              THEN CASE WHEN region = 2 AND (j / q) % 2 = 1 THEN 2 ELSE 1 END
              ELSE 0 END AS dbl
  FROM c),
e AS (
  SELECT d.*,
         CASE WHEN region = 2 AND dbl = 0 AND r5 % 37 = 5 THEN 1 ELSE 0 END AS fail,
         CAST(40 * ((r1 % 1000000) / 1000000.0) * ((r1 % 1000000) / 1000000.0)
                 * ((r1 % 1000000) / 1000000.0) AS INTEGER) AS page,
         CAST(12 * ((r2 % 1000000) / 1000000.0) * ((r2 % 1000000) / 1000000.0) AS INTEGER) AS dev
  FROM d)
INSERT INTO ev
SELECT i, region, dbl, fail,
       CASE WHEN page < 10 AND fail = 0 AND dbl <> 2 AND r4 % 100 < 22 THEN 1 ELSE 0 END,
       page, dev, r3, r4, r5,
       t0_us + i * step_us + (r5 / 64 % step_us)
         + CASE WHEN region >= 1 THEN gap_us ELSE 0 END
         + CASE WHEN region = 2 THEN gap_us ELSE 0 END
FROM e;

-- The values of one event's row (its copies are identical rows). retried_us: when the
-- secondary logged a retried click: 1.0 to 1.4 s later plus 300 ms of clock skew.
CREATE TEMP VIEW rows AS
SELECT ev.i, ev.region, ev.dbl, ev.fail, ev.t_us,
       ev.t_us + 1300000 + ev.r5 / 4096 % 400001 AS retried_us,
       pg.url AS page_url,
       CASE WHEN ev.hot THEN sp.x
            ELSE (ev.r3 % dv.vw) + 0.01 + (ev.r3 / 7 % 98) / 100.0 END AS x,
       CASE WHEN ev.hot THEN sp.y
            ELSE (CASE WHEN ev.r4 % 10 < 4 THEN 0 ELSE ev.r3 / 131 % 3000 END)
                 + (ev.r4 / 13 % dv.vh) + 0.01 + (ev.r4 / 1301 % 98) / 100.0 END AS y,
       dv.vw AS viewport_width, dv.vh AS viewport_height,
       CASE WHEN ev.hot THEN CASE WHEN sp.y > dv.vh THEN CAST(sp.y AS INTEGER) - dv.vh / 2 ELSE 0 END
            WHEN ev.r4 % 10 < 4 THEN 0 ELSE ev.r3 / 131 % 3000 END AS scroll_y,
       dv.ua AS user_agent
FROM ev
JOIN pages AS pg ON pg.idx = ev.page
JOIN devices AS dv ON dv.idx = ev.dev
LEFT JOIN spots AS sp ON sp.page = ev.page
  AND sp.k = CASE WHEN ev.r3 / 3 % 10 < 5 THEN 0 WHEN ev.r3 / 3 % 10 < 8 THEN 1
                  WHEN ev.r3 / 3 % 10 < 9 THEN 2 ELSE 3 END;

CREATE TEMP TABLE copies(n INTEGER PRIMARY KEY);
INSERT INTO copies VALUES (0), (1);

-- Microseconds since the epoch as the service's text.
CREATE TEMP VIEW stamped AS
SELECT rows.*,
       strftime('%Y-%m-%d %H:%M:%S', t_us / 1000000, 'unixepoch')
         || printf('.%06d', t_us % 1000000) AS created_at,
       strftime('%Y-%m-%d %H:%M:%S', retried_us / 1000000, 'unixepoch')
         || printf('.%06d', retried_us % 1000000) AS retried_at
FROM rows;

BEGIN;
-- The primary: history and after, a double click twice, a split one once.
INSERT INTO main.click_events(page_url, x, y, viewport_width, viewport_height, scroll_y,
                              user_agent, created_at)
SELECT page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent, created_at
FROM stamped JOIN copies ON copies.n < CASE WHEN dbl = 1 THEN 2 ELSE 1 END
WHERE region IN (0, 2)
ORDER BY i;
-- The secondary: the same history in the same order (same ids), then the outage ...
INSERT INTO sec.click_events(page_url, x, y, viewport_width, viewport_height, scroll_y,
                             user_agent, created_at)
SELECT page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent, created_at
FROM stamped JOIN copies ON copies.n < CASE WHEN dbl = 1 THEN 2 ELSE 1 END
WHERE region IN (0, 1)
ORDER BY i;
-- ... then, after the outage, the retried clicks (later, skewed) and the split double clicks
-- (twice, at the primary's instant), in time order.
INSERT INTO sec.click_events(page_url, x, y, viewport_width, viewport_height, scroll_y,
                             user_agent, created_at)
SELECT page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
       CASE WHEN fail THEN retried_at ELSE created_at END
FROM stamped JOIN copies ON copies.n < 2
WHERE region = 2 AND (fail = 1 AND copies.n = 0 OR dbl = 2)
ORDER BY CASE WHEN fail THEN retried_us ELSE t_us END, i;
COMMIT;

.output stdout
-- Expected figures, from the event flags alone.
CREATE TEMP TABLE k AS
SELECT
  count(*) AS events,
  sum(region = 0) + sum(region = 0 AND dbl = 1) AS shared,
  sum(region = 1) + sum(region = 1 AND dbl = 1) AS outage,
  sum(region = 2) + sum(region = 2 AND dbl = 1) AS after_rows,
  sum(fail) AS failover,
  sum(dbl = 1 AND region = 0) AS dbl_history,
  sum(dbl = 1 AND region = 1) AS dbl_outage,
  sum(dbl = 1 AND region = 2) AS dbl_after,
  sum(dbl = 2) AS dbl_split,
  sum(hot) AS hot_clicks
FROM ev;
.mode list
.separator =
SELECT 'events', events FROM k;
SELECT 'primary_rows', shared + after_rows FROM k;
SELECT 'secondary_rows', shared + outage + failover + 2 * dbl_split FROM k;
SELECT 'shared_rows', shared FROM k;
SELECT 'outage_rows', outage FROM k;
SELECT 'primary_after_rows', after_rows FROM k;
SELECT 'failover_duplicates', failover FROM k;
SELECT 'double_clicks_history', dbl_history FROM k;
SELECT 'double_clicks_outage', dbl_outage FROM k;
SELECT 'double_clicks_after', dbl_after FROM k;
SELECT 'double_clicks_split', dbl_split FROM k;
SELECT 'hot_spot_clicks', hot_clicks FROM k;
SELECT 'busiest_hot_spot_clicks', max(c) FROM (SELECT count(*) AS c FROM ev JOIN rows USING (i)
  WHERE ev.hot GROUP BY rows.page_url, rows.x, rows.y);
-- heatmap-merge, exact: max(m, n) copies of every key.
SELECT 'rows_out_exact', shared + after_rows + outage + failover + dbl_split FROM k;
-- heatmap-merge --window 2s (any window in [1.7 s, 90 s)): retried clicks absorbed too.
SELECT 'rows_out_window', shared + after_rows + outage + dbl_split FROM k;
-- Hand-written NOT EXISTS: a secondary row is dropped if any equal row exists, so the second
-- copy of a split double click is lost (under-count by design).
SELECT 'rows_out_not_exists', shared + after_rows + outage + failover FROM k;
SELECT 'rows_out_not_exists_window', shared + after_rows + outage FROM k;
-- No dedupe at all: the primary plus every secondary row.
SELECT 'rows_out_lower_bound', 2 * shared + after_rows + outage + failover + 2 * dbl_split FROM k;
SELECT 'first_created_at', min(created_at) FROM main.click_events;
SELECT 'last_created_at', max(created_at) FROM main.click_events;
SQL

# Cross-check the files against the figures (cheap counts only).
pr=$(sqlite3 "$tmp/primary.db" 'SELECT count(*) FROM click_events')
sr=$(sqlite3 "$tmp/secondary.db" 'SELECT count(*) FROM click_events')
ep=$(sed -n 's/^primary_rows=//p' "$tmp/expected.txt")
es=$(sed -n 's/^secondary_rows=//p' "$tmp/expected.txt")
if [ "$pr" != "$ep" ] || [ "$sr" != "$es" ]; then
  echo "$0: generated $pr/$sr rows, expected $ep/$es" >&2
  exit 70
fi

mv "$tmp/primary.db" "$outdir/primary.db"
mv "$tmp/secondary.db" "$outdir/secondary.db"
mv "$tmp/expected.txt" "$outdir/expected.txt"
cat "$outdir/expected.txt"
