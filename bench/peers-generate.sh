#!/bin/sh
# Builds two peer nodes of the click service as its write-to-both client (the service's ADR-025,
# issue 28) leaves them, and the truth about every click:
#
#   bench/peers-generate.sh EVENTS NODE_DIR
#     -> NODE_DIR/a.db, NODE_DIR/b.db     the nodes (the service's table, testdata/schema.sql)
#        NODE_DIR/truth.txt               key=value figures and the parameters
#        NODE_DIR/truth.db                each click, each row (node, id) and what made it
#   bench/peers-check.sh OUTPUT.db NODE_DIR   which clicks a merge's output holds once, twice, never
#   bench/peers-check.sh --nodes NODE_DIR     re-derives truth.txt from the files (the shapes)
#
# Parameters, in the environment (default):
#   SEED (1)  TIME (arrival | browser)  JOURNAL (delete | wal)  SPAN_DAYS (21)  ORDER (random | ab)
#   FAIL_A (0.02)  FAIL_B (0.01)  LATE (0.002)  TIMEOUT_MS (1000)  DOUBLE (0.001)
#   OUTAGE (b | a | none)  OUTAGE_AT (0.5, of the span)  OUTAGE_HOURS (6)
#   QUEUE_MAX (5000)  QUEUE_FULL (new | oldest)  MAX_ATTEMPTS (10)  FLUSH_EVERY (10)
#   CONCURRENT (0.01)
# Small e2e nodes that lose clicks to a full queue: e.g. QUEUE_MAX=50 OUTAGE_HOURS=48 with 10000.
#
# EVENTS real clicks (a genuine double click is two of them) over SPAN_DAYS from 2026-02-01.
# The client is one process with one queue; per click it:
#   - sends the click to one node, waits for the answer (at most TIMEOUT_MS, 1 s), then sends it
#     to the other; which node goes first is drawn per click (ORDER=random; ORDER=ab: A first).
#     A write arrives 1-40 ms after it is sent (the browser's click reached the client 20-250 ms
#     after Date.now()); a node answers 2-80 ms after arrival, plus 1-40 ms back. So the second
#     node's copy arrives a few ms to about 1 s (a timed-out first write) after the first's.
#   - fails a write with probability FAIL_A / FAIL_B (not committed; half answer an error within
#     30 ms, half never answer: the client gives up after the timeout). With probability LATE a
#     write commits but answers after the timeout: the client counts it as failed (shape 3).
#   - a node in the outage window (OUTAGE=a|b|none, from OUTAGE_AT of the span for
#     OUTAGE_HOURS) refuses every write within 0.5-5 ms.
#   - queues every failed write (node, click: the same payload, including the browser's time).
#     The queue holds at most QUEUE_MAX entries of both nodes together; a failure that finds it
#     full is dropped (QUEUE_FULL=new, the default) or evicts the oldest entry (QUEUE_FULL=oldest).
#   - after the click's two writes, on one request in FLUSH_EVERY (drawn), flushes the queue:
#     oldest first, one replay after the other; a node's first failure in a flush ends that
#     flush for the node (its later entries wait, without an attempt); an entry that failed
#     MAX_ATTEMPTS replays is dropped. Entries still queued at the end are lost too (pending).
#     So a replay comes seconds to minutes after the click, and hours after it during an outage.
#   - a flush that starts while the previous one still runs (a long backlog), or with
#     probability CONCURRENT, runs beside another flusher: the first entry it replays is sent
#     twice, the second copy 1-40 ms later (the same click twice on one node).
#   - a genuine double click (probability DOUBLE per click): a second click on the same spot
#     (the same payload) 80-450 ms later, sent and queued as a click of its own. It must stay two.
#
# created_at: TIME=arrival (default) stamps each copy with its arrival at the node
# ('YYYY-MM-DD HH:MM:SS.ffffff', microseconds, as generate.sh). TIME=browser stamps every copy,
# replays too, with the browser's Date.now() (milliseconds: the last three digits are 000):
# copies across nodes are then exact duplicates, and so are replayed copies on one node.
# Each node's ids follow the arrival order (so with TIME=browser a replay's id is far from its
# created_at's neighbours). JOURNAL=wal leaves both files in WAL mode (default: rollback).
#
# Values as in generate.sh (the same SQL, the seed added to the hash): 40 pages (skewed), 12 user
# agents with their viewports, 40 hot spots (integer coordinates: many clicks share a payload,
# so chance coincidences of identical payloads exist), fractional coordinates elsewhere.
#
# truth.txt (also truth.db's table figures):
#   events             real clicks made (double clicks count two)
#   distinct_clicks    clicks on at least one node: what a union must hold once each (union_rows)
#   on_a, on_b         clicks a node holds (one row or more); on_both, only_a, only_b
#   rows_a, rows_b     the files' row counts
#   replayed_dup_a/_b  rows beyond a click's first on the node: late copies of the same click
#                      (late commits replayed, concurrent flushes); = rows_x - on_x
#   cross_replays      clicks on both nodes whose first copies are more than 1 s apart (always 0
#                      with TIME=browser, whose copies carry one instant): _by_replay, one node's
#                      first copy is a replay; _by_timeout, both are the click's own writes, the
#                      first answered after the timeout (late) and the second went 1 s later
#   double_clicks      genuine double clicks (pairs of clicks, same payload, 80-450 ms apart)
#   lost_a, lost_b     clicks a node lacks = events - on_x; lost_x_queue_full,
#                      lost_x_attempts, lost_x_pending say why; lost_both: on neither node
#   late_commits_x, concurrent_replays_x, outage_refused, replays_x, replay_delay_*: the
#                      mechanics; peers_rows_x: the node's rows after --peers --in-place
#                      (rows_x + what it lacks; its own replayed duplicates stay, unless
#                      removed: then distinct_clicks); ambiguous_keys: distinct clicks sharing
#                      (created_at, page_url, x, y) (0, or peers-check cannot tell them apart)
#   and every parameter.
# truth.db: clicks(click, pe, dbl, first, browser_at, copies_a, copies_b, ...),
#   rows(node, id, click, kind, attempt, delay_ms): kind w = the click's own write, r = a
#   replay, d = the second copy of a concurrent flush; delay_ms = arrival - the client's receipt;
#   drops(node, click, reason, committed), figures(key, value).
#
# Deterministic: the same EVENTS and parameters (SEED) give the same files. The simulation
# runs in awk with its own generator (L'Ecuyer's combined LCG, exact in doubles), not rand().
# Needs the sqlite3 CLI and a POSIX awk. 10k events take about 1 s; 1M about 32 s of CPU
# (awk 6 s, sqlite3 25 s; one core at a time), 210 MB per node and 116 MB of truth.db;
# 4M: see bench/README.md, "Write-to-both nodes (issue 28)".
set -eu

usage() {
  echo "usage: $0 EVENTS NODE_DIR   (parameters in the environment: see the script's head)" >&2
  exit 64
}
[ $# -eq 2 ] || usage
events=$1
outdir=$2
case $events in '' | *[!0-9]*) usage ;; esac
if [ "$events" -lt 100 ]; then
  echo "$0: EVENTS must be at least 100" >&2
  exit 64
fi

seed=${SEED:-1}
time_mode=${TIME:-arrival}
journal=${JOURNAL:-delete}
fail_a=${FAIL_A:-0.02}
fail_b=${FAIL_B:-0.01}
late=${LATE:-0.002}
outage=${OUTAGE:-b}
outage_at=${OUTAGE_AT:-0.5}
outage_hours=${OUTAGE_HOURS:-6}
queue_max=${QUEUE_MAX:-5000}
queue_full=${QUEUE_FULL:-new}
max_attempts=${MAX_ATTEMPTS:-10}
flush_every=${FLUSH_EVERY:-10}
concurrent=${CONCURRENT:-0.01}
double=${DOUBLE:-0.001}
span_days=${SPAN_DAYS:-21}
order=${ORDER:-random}
timeout_ms=${TIMEOUT_MS:-1000}

bad() {
  echo "$0: $1" >&2
  exit 64
}
for v in "seed=$seed" "queue_max=$queue_max" "max_attempts=$max_attempts" \
  "flush_every=$flush_every" "timeout_ms=$timeout_ms"; do
  case ${v#*=} in '' | *[!0-9]*) bad "${v%%=*} must be a whole number: ${v#*=}" ;; esac
done
for v in "fail_a=$fail_a" "fail_b=$fail_b" "late=$late" "outage_at=$outage_at" \
  "outage_hours=$outage_hours" "concurrent=$concurrent" "double=$double" "span_days=$span_days"; do
  case ${v#*=} in '' | *[!0-9.]* | *.*.* | .) bad "${v%%=*} must be a number: ${v#*=}" ;; esac
done
[ "$seed" -le 1000000000 ] || bad "SEED must be at most 1000000000"
if [ "$flush_every" -lt 1 ] || [ "$max_attempts" -lt 1 ] || [ "$queue_max" -lt 1 ]; then
  bad "FLUSH_EVERY, MAX_ATTEMPTS and QUEUE_MAX must be at least 1"
fi
awk -v f="$fail_a" -v g="$fail_b" -v l="$late" -v c="$concurrent" -v d="$double" \
  'BEGIN { exit !(f + l <= 1 && g + l <= 1 && c <= 1 && d <= 1) }' ||
  bad "FAIL_A + LATE, FAIL_B + LATE, CONCURRENT and DOUBLE must be at most 1"
case $time_mode in arrival | browser) ;; *) bad "TIME must be arrival or browser" ;; esac
case $journal in delete | rollback) journal=delete ;; wal | WAL) journal=wal ;;
*) bad "JOURNAL must be delete (rollback) or wal" ;; esac
case $outage in a | b | none) ;; *) bad "OUTAGE must be a, b or none" ;; esac
case $queue_full in new | oldest) ;; *) bad "QUEUE_FULL must be new or oldest" ;; esac
case $order in random | ab) ;; *) bad "ORDER must be random or ab" ;; esac

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
tmp=$outdir/.peers-generate.$$
rm -rf "$tmp"
mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM

# ---- The client, simulated. Writes clicks.csv (click, pe, browser_us, client_us, dbl, first),
# rows.csv (node, click, arrival_us, kind, attempt), drops.csv (node, click, reason, committed)
# and stats.txt (the simulation's own counters).
LC_ALL=C awk -v n="$events" -v seed="$seed" -v fa="$fail_a" -v fb="$fail_b" -v late="$late" \
  -v onode="$outage" -v oat="$outage_at" -v ohours="$outage_hours" -v qmax="$queue_max" \
  -v qfull="$queue_full" -v maxatt="$max_attempts" -v fevery="$flush_every" \
  -v pconc="$concurrent" -v pdouble="$double" -v span_days="$span_days" -v order="$order" \
  -v timeout_ms="$timeout_ms" -v dir="$tmp" '
# L'"'"'Ecuyer (1988): two multiplicative LCGs combined; every product stays below 2^47, so
# doubles compute them exactly and any awk gives the same stream.
function rnd(   z) {
  s1 = (40014 * s1) % 2147483563
  s2 = (40692 * s2) % 2147483399
  z = s1 - s2
  if (z < 1) z += 2147483562
  return z / 2147483563
}
function uni(lo, hi) { return lo + int(rnd() * (hi - lo + 1)) }
function lat() { return uni(1000, 40000) }
function down(node, t) { return node == onode && t >= ostart && t < oend }
# One write of click c to node at time t (microseconds). Sets W_out (ok, fail, late, down)
# and W_arr; writes the row if the node committed it; returns when the client has its answer.
function write(node, c, t, kind, att,   u) {
  if (down(node, t)) { W_out = "down"; refused++; return t + uni(500, 5000) }
  W_arr = t + lat()
  u = rnd()
  if (u < fail[node]) {
    W_out = "fail"
    if (rnd() < 0.5) return W_arr + uni(1000, 30000) + lat()
    return t + timeout
  }
  printf "%s,%d,%.0f,%s,%d\n", node, c, W_arr, kind, att > rowsf
  if (u < fail[node] + late) { W_out = "late"; lates[node]++; return t + timeout }
  W_out = "ok"
  u = rnd()
  return W_arr + 2000 + int(78000 * u * u * u) + lat()
}
function qlen() { return tail["a"] - head["a"] + tail["b"] - head["b"] }
function drop(node, c, why, committed) {
  printf "%s,%d,%s,%d\n", node, c, why, committed > dropsf
  drops[node, why]++
}
function pop(node,   h) {
  h = head[node]++
  delete qc[node, h]; delete qr[node, h]; delete qa[node, h]; delete qm[node, h]; delete qs[node, h]
}
function enqueue(node, c, ready, committed,   m, t) {
  if (qlen() >= qmax) {
    if (qfull == "new") { drop(node, c, "queue_full", committed); return }
    m = ""
    if (head["a"] < tail["a"]) m = "a"
    if (head["b"] < tail["b"] && (m == "" || qs["b", head["b"]] < qs["a", head["a"]])) m = "b"
    drop(m, qc[m, head[m]], "queue_full", qm[m, head[m]])
    pop(m)
  }
  t = tail[node]++
  qc[node, t] = c; qr[node, t] = ready; qa[node, t] = 0; qm[node, t] = committed; qs[node, t] = ++seq
  if (qlen() > qpeak) qpeak = qlen()
}
function flush(t,   r, conc, doubled, start, best, h, c, att, resp, arr2) {
  r = rnd()
  conc = (t < busy || r < pconc)
  flushes++
  start = t
  doubled = 0
  open["a"] = 1; open["b"] = 1
  while (1) {
    best = ""
    if (open["a"] && head["a"] < tail["a"] && qr["a", head["a"]] <= start) best = "a"
    if (open["b"] && head["b"] < tail["b"] && qr["b", head["b"]] <= start &&
        (best == "" || qs["b", head["b"]] < qs["a", head["a"]])) best = "b"
    if (best == "") break
    h = head[best]
    c = qc[best, h]
    att = qa[best, h] + 1
    resp = write(best, c, t, "r", att)
    if (W_out == "ok") {
      if (conc && !doubled) {
        arr2 = W_arr + uni(1000, 40000)
        printf "%s,%d,%.0f,d,%d\n", best, c, arr2, att > rowsf
        doubled = 1
        doubles[best]++
      }
      replayed[best]++
      pop(best)
    } else {
      qa[best, h] = att
      if (W_out == "late") qm[best, h] = 1
      if (att >= maxatt) { drop(best, c, "attempts", qm[best, h]); pop(best) }
      open[best] = 0
    }
    t = resp
  }
  if (doubled) concflushes++
  busy = t
}
function click(c, pe, tb, dbl,   tc, first, second, t, resp) {
  tc = tb + uni(20000, 250000)
  first = "a"
  if (order == "random" && rnd() < 0.5) first = "b"
  second = first == "a" ? "b" : "a"
  printf "%d,%d,%.0f,%.0f,%d,%s\n", c, pe, tb, tc, dbl, first > clicksf
  resp = write(first, c, tc, "w", 0)
  if (W_out != "ok") { own[first, W_out]++; enqueue(first, c, resp, W_out == "late") }
  t = resp
  resp = write(second, c, t, "w", 0)
  if (W_out != "ok") { own[second, W_out]++; enqueue(second, c, resp, W_out == "late") }
  t = resp
  if (rnd() * fevery < 1) flush(t)
}
BEGIN {
  clicksf = dir "/clicks.csv"; rowsf = dir "/rows.csv"; dropsf = dir "/drops.csv"
  printf "" > dropsf
  s1 = 1 + (seed * 7919 + 12345) % 2147483562
  s2 = 1 + (seed * 104729 + 54321) % 2147483398
  for (i = 0; i < 10; i++) rnd()
  fail["a"] = fa + 0; fail["b"] = fb + 0; late += 0; pconc += 0; pdouble += 0
  timeout = timeout_ms * 1000
  t0 = 1769904000 * 1000000                      # 2026-02-01 00:00:00 UTC
  span = span_days * 86400 * 1000000
  ostart = t0 + int(oat * span); oend = ostart + int(ohours * 3600 * 1000000)
  step = span / n
  head["a"] = tail["a"] = head["b"] = tail["b"] = 0
  busy = 0
  c = 0
  while (c < n) {
    tb = t0 + int(c * step + rnd() * step)
    tb -= tb % 1000
    if (c + 1 < n && rnd() < pdouble) {
      click(c, c, tb, 1)
      click(c + 1, c, tb + uni(80, 450) * 1000, 2)
      c += 2
    } else {
      click(c, c, tb, 0)
      c++
    }
  }
  for (node in head) while (head[node] < tail[node]) {
    drop(node, qc[node, head[node]], "pending", qm[node, head[node]])
    pop(node)
  }
  statsf = dir "/stats.txt"
  printf "outage_start_us=%.0f\noutage_end_us=%.0f\n", ostart, oend > statsf
  printf "flushes=%d\nconcurrent_flushes=%d\nqueue_peak=%d\noutage_refused=%d\n", \
    flushes, concflushes, qpeak, refused > statsf
  split("a b", nodes, " ")
  for (k = 1; k <= 2; k++) {
    node = nodes[k]
    printf "own_failed_%s=%d\nown_late_%s=%d\nown_refused_%s=%d\n", node, own[node, "fail"], \
      node, own[node, "late"], node, own[node, "down"] > statsf
    printf "late_commits_%s=%d\nconcurrent_replays_%s=%d\nreplays_ok_%s=%d\n", node, \
      lates[node], node, doubles[node], node, replayed[node] > statsf
    printf "dropped_queue_full_%s=%d\ndropped_attempts_%s=%d\ndropped_pending_%s=%d\n", node, \
      drops[node, "queue_full"], node, drops[node, "attempts"], node, drops[node, "pending"] > statsf
  }
}'

stat() { sed -n "s/^$1=//p" "$tmp/stats.txt"; }
ostart_us=$(stat outage_start_us)
oend_us=$(stat outage_end_us)

sqlite3 "$tmp/a.db" < "$schema"
sqlite3 "$tmp/b.db" < "$schema"

# ---- The rows: payloads as generate.sh's (the seed added to the hash), each node's ids in
# arrival order, and the truth.
sqlite3 "$tmp/truth.db" > "$tmp/truth.txt" <<SQL
.bail on
.output /dev/null
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = FILE;
PRAGMA temp.cache_size = -65536;
PRAGMA cache_size = -32768;
ATTACH '$tmp/a.db' AS a;
ATTACH '$tmp/b.db' AS b;
PRAGMA a.journal_mode = OFF;
PRAGMA a.synchronous = OFF;
PRAGMA a.cache_size = -32768;
PRAGMA b.journal_mode = OFF;
PRAGMA b.synchronous = OFF;
PRAGMA b.cache_size = -32768;

CREATE TEMP TABLE c_in(click INTEGER PRIMARY KEY, pe INTEGER, browser_us INTEGER,
                       client_us INTEGER, dbl INTEGER, first TEXT);
CREATE TEMP TABLE r_in(node TEXT, click INTEGER, arrival_us INTEGER, kind TEXT, attempt INTEGER);
CREATE TEMP TABLE d_in(node TEXT, click INTEGER, reason TEXT, committed INTEGER);
.import --csv '$tmp/clicks.csv' c_in
.import --csv '$tmp/rows.csv' r_in
.import --csv '$tmp/drops.csv' d_in

-- generate.sh's pages, spots and devices.
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
CREATE TEMP TABLE spots(page INTEGER, k INTEGER, x REAL, y REAL, PRIMARY KEY (page, k));
WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < 9),
               s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 3)
INSERT INTO spots
SELECT i, k, 160 + ((i * 7 + k * 13) * 97) % 1100, 120 + ((i * 11 + k * 5) * 131) % 900
FROM p, s;
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

-- One payload per payload event pe (a double click's two clicks share one): generate.sh's
-- hash of the event number (the seed added to its constants) and its choices of page, device,
-- hot spot (22% of the 10 busiest pages' clicks) and coordinates.
CREATE TEMP TABLE pl(pe INTEGER PRIMARY KEY, hot INTEGER, page_url TEXT, x REAL, y REAL,
                     vw INTEGER, vh INTEGER, scroll_y INTEGER, dev INTEGER);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $events - 1),
s0 AS (
  SELECT i, (i * 2654435761 + 1 + $seed * 97531) % 4294967296 AS a,
            (i * 2654435761 + 2971215073 + $seed * 97531) % 4294967296 AS b,
            (i * 2654435761 + 1836311903 + $seed * 97531) % 4294967296 AS c,
            (i * 2654435761 + 433494437 + $seed * 97531) % 4294967296 AS d
  FROM n),
s1 AS MATERIALIZED (
  SELECT i, (((a | (a >> 16)) - (a & (a >> 16))) * 73244475) % 4294967296 AS a,
            (((b | (b >> 16)) - (b & (b >> 16))) * 73244475) % 4294967296 AS b,
            (((c | (c >> 16)) - (c & (c >> 16))) * 73244475) % 4294967296 AS c,
            (((d | (d >> 16)) - (d & (d >> 16))) * 73244475) % 4294967296 AS d
  FROM s0),
s2 AS (
  SELECT i, (((a | (a >> 16)) - (a & (a >> 16))) * 73244475) % 4294967296 AS a,
            (((b | (b >> 16)) - (b & (b >> 16))) * 73244475) % 4294967296 AS b,
            (((c | (c >> 16)) - (c & (c >> 16))) * 73244475) % 4294967296 AS c,
            (((d | (d >> 16)) - (d & (d >> 16))) * 73244475) % 4294967296 AS d
  FROM s1),
h AS MATERIALIZED (
  SELECT i, ((a | (a >> 16)) - (a & (a >> 16))) >> 1 AS r1,
            ((b | (b >> 16)) - (b & (b >> 16))) >> 1 AS r2,
            ((c | (c >> 16)) - (c & (c >> 16))) >> 1 AS r3,
            ((d | (d >> 16)) - (d & (d >> 16))) >> 1 AS r4
  FROM s2),
e AS MATERIALIZED (
  SELECT i, r3, r4,
         CAST(40 * ((r1 % 1000000) / 1000000.0) * ((r1 % 1000000) / 1000000.0)
                 * ((r1 % 1000000) / 1000000.0) AS INTEGER) AS page,
         CAST(12 * ((r2 % 1000000) / 1000000.0) * ((r2 % 1000000) / 1000000.0) AS INTEGER) AS dev
  FROM h),
f AS (
  SELECT e.*, CASE WHEN page < 10 AND r4 % 100 < 22 THEN 1 ELSE 0 END AS hot FROM e)
INSERT INTO pl
SELECT f.i, f.hot, pg.url,
       CASE WHEN f.hot THEN sp.x ELSE (f.r3 % dv.vw) + 0.01 + (f.r3 / 7 % 98) / 100.0 END,
       CASE WHEN f.hot THEN sp.y
            ELSE (CASE WHEN f.r4 % 10 < 4 THEN 0 ELSE f.r3 / 131 % 3000 END)
                 + (f.r4 / 13 % dv.vh) + 0.01 + (f.r4 / 1301 % 98) / 100.0 END,
       dv.vw, dv.vh,
       CASE WHEN f.hot THEN CASE WHEN sp.y > dv.vh THEN CAST(sp.y AS INTEGER) - dv.vh / 2 ELSE 0 END
            WHEN f.r4 % 10 < 4 THEN 0 ELSE f.r3 / 131 % 3000 END,
       f.dev
FROM f
JOIN pages AS pg ON pg.idx = f.page
JOIN devices AS dv ON dv.idx = f.dev
LEFT JOIN spots AS sp ON sp.page = f.page
  AND sp.k = CASE WHEN f.r3 / 3 % 10 < 5 THEN 0 WHEN f.r3 / 3 % 10 < 8 THEN 1
                  WHEN f.r3 / 3 % 10 < 9 THEN 2 ELSE 3 END;

-- Every row with its id (arrival order on its node) and the instant its created_at holds.
CREATE TEMP TABLE r AS
SELECT r_in.node, row_number() OVER (PARTITION BY r_in.node
         ORDER BY r_in.arrival_us, r_in.click, r_in.kind, r_in.attempt) AS id,
       r_in.click, r_in.kind, r_in.attempt, r_in.arrival_us,
       CASE '$time_mode' WHEN 'browser' THEN c_in.browser_us ELSE r_in.arrival_us END AS t_us,
       (r_in.arrival_us - c_in.client_us) / 1000 AS delay_ms
FROM r_in JOIN c_in USING (click);
DROP TABLE r_in;

CREATE TEMP VIEW out_rows AS
SELECT r.node, r.id, pl.page_url, pl.x, pl.y, pl.vw, pl.vh, pl.scroll_y, dv.ua,
       strftime('%Y-%m-%d %H:%M:%S', r.t_us / 1000000, 'unixepoch')
         || printf('.%06d', r.t_us % 1000000) AS created_at
FROM r JOIN c_in USING (click) JOIN pl ON pl.pe = c_in.pe JOIN devices AS dv ON dv.idx = pl.dev;

BEGIN;
INSERT INTO a.click_events(id, page_url, x, y, viewport_width, viewport_height, scroll_y,
                           user_agent, created_at)
SELECT id, page_url, x, y, vw, vh, scroll_y, ua, created_at FROM out_rows WHERE node = 'a' ORDER BY id;
INSERT INTO b.click_events(id, page_url, x, y, viewport_width, viewport_height, scroll_y,
                           user_agent, created_at)
SELECT id, page_url, x, y, vw, vh, scroll_y, ua, created_at FROM out_rows WHERE node = 'b' ORDER BY id;
COMMIT;

-- ---- The truth.
CREATE TABLE rows(node TEXT NOT NULL, id INTEGER NOT NULL, click INTEGER NOT NULL,
                  kind TEXT NOT NULL, attempt INTEGER NOT NULL, delay_ms INTEGER NOT NULL,
                  PRIMARY KEY (node, id)) WITHOUT ROWID;
INSERT INTO rows SELECT node, id, click, kind, attempt, delay_ms FROM r ORDER BY node, id;
CREATE TABLE drops(node TEXT NOT NULL, click INTEGER NOT NULL, reason TEXT NOT NULL,
                   committed INTEGER NOT NULL);
INSERT INTO drops SELECT * FROM d_in ORDER BY node, click, reason;
-- Per click: its copies on each node and the instants of its first copy there.
CREATE TABLE clicks(click INTEGER PRIMARY KEY, pe INTEGER NOT NULL, dbl INTEGER NOT NULL,
                    first TEXT NOT NULL, browser_at TEXT NOT NULL, client_us INTEGER NOT NULL,
                    hot INTEGER NOT NULL, copies_a INTEGER NOT NULL, copies_b INTEGER NOT NULL,
                    own_a INTEGER NOT NULL, own_b INTEGER NOT NULL,
                    first_a_us INTEGER, first_b_us INTEGER);
INSERT INTO clicks
SELECT c_in.click, c_in.pe, c_in.dbl, c_in.first,
       strftime('%Y-%m-%d %H:%M:%S', c_in.browser_us / 1000000, 'unixepoch')
         || printf('.%03d', c_in.browser_us / 1000 % 1000),
       c_in.client_us, pl.hot,
       coalesce(rc.na, 0), coalesce(rc.nb, 0), coalesce(rc.own_a, 0), coalesce(rc.own_b, 0),
       rc.ta, rc.tb
FROM c_in JOIN pl ON pl.pe = c_in.pe
LEFT JOIN (SELECT click, sum(node = 'a') AS na, sum(node = 'b') AS nb,
                  max(node = 'a' AND kind = 'w') AS own_a, max(node = 'b' AND kind = 'w') AS own_b,
                  min(CASE node WHEN 'a' THEN t_us END) AS ta, min(CASE node WHEN 'b' THEN t_us END) AS tb
           FROM r GROUP BY click) AS rc USING (click)
ORDER BY c_in.click;

-- Distinct clicks that share (created_at, page_url, x, y): peers-check could not tell them
-- apart (0 unless two clicks of one payload land in the same microsecond, or millisecond).
CREATE TEMP TABLE amb AS
SELECT count(*) AS n FROM (
  SELECT 1 FROM (SELECT DISTINCT r.click, r.t_us, pl.page_url, pl.x, pl.y
                 FROM r JOIN c_in USING (click) JOIN pl ON pl.pe = c_in.pe
                 WHERE r.t_us IN (SELECT t_us FROM r GROUP BY t_us HAVING min(click) <> max(click)))
  GROUP BY t_us, page_url, x, y HAVING count(*) > 1);

CREATE TABLE figures(key TEXT PRIMARY KEY, value);
CREATE TEMP TABLE k AS
SELECT count(*) AS events,
       sum(copies_a > 0 OR copies_b > 0) AS distinct_clicks,
       sum(copies_a > 0) AS on_a, sum(copies_b > 0) AS on_b,
       sum(copies_a > 0 AND copies_b > 0) AS on_both,
       sum(copies_a > 0 AND copies_b = 0) AS only_a, sum(copies_a = 0 AND copies_b > 0) AS only_b,
       sum(copies_a = 0 AND copies_b = 0) AS lost_both,
       sum(copies_a) AS rows_a, sum(copies_b) AS rows_b,
       sum(copies_a > 0 AND copies_b > 0 AND abs(first_a_us - first_b_us) > 1000000) AS cross_replays,
       sum(copies_a > 0 AND copies_b > 0 AND abs(first_a_us - first_b_us) > 1000000
           AND own_a AND own_b) AS cross_late,
       sum(dbl = 2) AS double_clicks, sum(hot) AS hot_spot_clicks
FROM clicks;
INSERT INTO figures(key, value)
SELECT 'events', events FROM k
UNION ALL SELECT 'distinct_clicks', distinct_clicks FROM k
UNION ALL SELECT 'on_a', on_a FROM k
UNION ALL SELECT 'on_b', on_b FROM k
UNION ALL SELECT 'on_both', on_both FROM k
UNION ALL SELECT 'only_a', only_a FROM k
UNION ALL SELECT 'only_b', only_b FROM k
UNION ALL SELECT 'rows_a', rows_a FROM k
UNION ALL SELECT 'rows_b', rows_b FROM k
UNION ALL SELECT 'replayed_dup_a', rows_a - on_a FROM k
UNION ALL SELECT 'replayed_dup_b', rows_b - on_b FROM k
UNION ALL SELECT 'cross_replays', cross_replays FROM k
UNION ALL SELECT 'cross_replays_by_replay', cross_replays - cross_late FROM k
UNION ALL SELECT 'cross_replays_by_timeout', cross_late FROM k
UNION ALL SELECT 'double_clicks', double_clicks FROM k
UNION ALL SELECT 'lost_a', events - on_a FROM k
UNION ALL SELECT 'lost_b', events - on_b FROM k
UNION ALL SELECT 'lost_both', lost_both FROM k
UNION ALL SELECT 'union_rows', distinct_clicks FROM k
UNION ALL SELECT 'peers_rows_a', rows_a + distinct_clicks - on_a FROM k
UNION ALL SELECT 'peers_rows_b', rows_b + distinct_clicks - on_b FROM k
UNION ALL SELECT 'hot_spot_clicks', hot_spot_clicks FROM k
UNION ALL SELECT 'ambiguous_keys', n FROM amb;
-- Why a node lacks a click: how its queue entry was dropped (an entry whose write committed
-- late is dropped without a loss).
INSERT INTO figures(key, value)
SELECT 'lost_' || nd.node || '_' || rs.reason,
       (SELECT count(*) FROM drops JOIN clicks USING (click)
        WHERE drops.node = nd.node AND drops.reason = rs.reason
          AND CASE nd.node WHEN 'a' THEN copies_a ELSE copies_b END = 0)
FROM (SELECT 'a' AS node UNION ALL SELECT 'b') AS nd,
     (SELECT 'queue_full' AS reason UNION ALL SELECT 'attempts' UNION ALL SELECT 'pending') AS rs;
-- Replayed rows (kind r and d) by their delay after the client got the click.
INSERT INTO figures(key, value)
SELECT 'replays_' || node, count(*) FROM rows WHERE kind <> 'w' GROUP BY node;
INSERT INTO figures(key, value)
SELECT 'replay_delay_' || b.name, (SELECT count(*) FROM rows WHERE kind <> 'w'
                                   AND delay_ms > b.lo AND delay_ms <= b.hi)
FROM (SELECT 'upto_1s' AS name, -1 AS lo, 1000 AS hi UNION ALL SELECT 'upto_1min', 1000, 60000
      UNION ALL SELECT 'upto_1h', 60000, 3600000 UNION ALL SELECT 'over_1h', 3600000, 1e18) AS b;
INSERT INTO figures(key, value)
SELECT 'replay_delay_max_s', coalesce(max(delay_ms) / 1000, 0) FROM rows WHERE kind <> 'w';
INSERT INTO figures(key, value)
SELECT 'first_created_at', min(created_at) FROM (SELECT created_at FROM a.click_events
                                                UNION ALL SELECT created_at FROM b.click_events);
INSERT INTO figures(key, value)
SELECT 'last_created_at', max(created_at) FROM (SELECT created_at FROM a.click_events
                                               UNION ALL SELECT created_at FROM b.click_events);
-- The simulation's own counters, then the parameters.
CREATE TEMP TABLE st(line TEXT);
.import '$tmp/stats.txt' st
INSERT INTO figures(key, value)
SELECT substr(line, 1, instr(line, '=') - 1), CAST(substr(line, instr(line, '=') + 1) AS INTEGER)
FROM st WHERE line NOT LIKE 'outage_%_us=%';
INSERT INTO figures(key, value) VALUES
 ('seed', $seed), ('time', '$time_mode'), ('journal', '$journal'),
 ('fail_a', '$fail_a'), ('fail_b', '$fail_b'), ('late', '$late'), ('outage', '$outage'),
 ('outage_at', '$outage_at'), ('outage_hours', '$outage_hours'),
 ('outage_start', CASE '$outage' WHEN 'none' THEN '' ELSE
    strftime('%Y-%m-%d %H:%M:%S', $ostart_us / 1000000, 'unixepoch') END),
 ('outage_end', CASE '$outage' WHEN 'none' THEN '' ELSE
    strftime('%Y-%m-%d %H:%M:%S', $oend_us / 1000000, 'unixepoch') END),
 ('queue_max', $queue_max), ('queue_full', '$queue_full'), ('max_attempts', $max_attempts),
 ('flush_every', $flush_every), ('concurrent', '$concurrent'), ('double', '$double'),
 ('span_days', '$span_days'), ('order', '$order'), ('timeout_ms', $timeout_ms);

.output stdout
.mode list
.separator =
-- In a fixed order: the figures first, then the mechanics, then the parameters.
SELECT key, value FROM figures ORDER BY rowid;
SQL

# Cross-check the files against the figures (cheap counts only).
ra=$(sqlite3 "$tmp/a.db" 'SELECT count(*) FROM click_events')
rb=$(sqlite3 "$tmp/b.db" 'SELECT count(*) FROM click_events')
ea=$(sed -n 's/^rows_a=//p' "$tmp/truth.txt")
eb=$(sed -n 's/^rows_b=//p' "$tmp/truth.txt")
if [ "$ra" != "$ea" ] || [ "$rb" != "$eb" ]; then
  echo "$0: generated $ra/$rb rows, expected $ea/$eb" >&2
  exit 70
fi
if [ "$journal" = wal ]; then
  for f in a b; do
    [ "$(sqlite3 "$tmp/$f.db" 'PRAGMA journal_mode = WAL')" = wal ] || {
      echo "$0: $f.db: could not switch to WAL" >&2
      exit 70
    }
  done
fi

rm -f "$outdir/a.db" "$outdir/b.db" "$outdir/a.db-wal" "$outdir/b.db-wal" \
  "$outdir/a.db-shm" "$outdir/b.db-shm" "$outdir/a.db-journal" "$outdir/b.db-journal"
mv "$tmp/a.db" "$outdir/a.db"
mv "$tmp/b.db" "$outdir/b.db"
mv "$tmp/truth.db" "$outdir/truth.db"
mv "$tmp/truth.txt" "$outdir/truth.txt"
cat "$outdir/truth.txt"
