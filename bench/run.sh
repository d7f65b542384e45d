#!/usr/bin/env bash
# Times heatmap-merge against the merges an operator would write by hand, on the same files, in
# one run, and checks every result's row count against what the generator says it must be.
#
#   bench/run.sh EVENTS [RUNS]          e.g. bench/run.sh 1000000
#
# EVENTS  real clicks in the generated replica pair (bench/generate.sh); the pair is cached
#         under $BENCH_CACHE/EVENTS (default ${TMPDIR:-/tmp}/heatmap-merge-bench) and remade
#         when generate.sh or testdata/schema.sql changes.
# RUNS    timed runs of each variant (default 5); the table shows the median. The variants take
#         turns within each round, so that a slow spell of the machine hits them all alike.
#
# Environment:
#   HEATMAP_MERGE  the binary to time. Default: build-bench/heatmap-merge, (re)built first with
#                  cmake (Release) so that the current source is what gets measured.
#   VARIANTS       which variants to run, default "a b c d e f g h w" (see below).
#   BENCH_CACHE    where the generated pairs and the outputs go (the same file system, so
#                  that cp and rename behave as they would in production).
#   HM_ARGS        more options for every heatmap-merge variant (a c g w), e.g.
#                  "--max-lock-hold 10s" to time the reads in place that the lock budget replaces
#                  with private copies.
#
# Variants (each writes a fresh output file; the inputs are never modified):
#   a  heatmap-merge -o OUT PRIMARY SECONDARY                      (exact, multiset)
#   b  hand-written exact: cp PRIMARY OUT; sqlite3 OUT: ATTACH the secondary, CREATE INDEX
#      (created_at, x, y, page_url), INSERT ... SELECT ... WHERE NOT EXISTS (equal row)
#   c  heatmap-merge --window 2s -o OUT PRIMARY SECONDARY
#   d  hand-written tolerance: the same with an index on (page_url, x, y, created_at) and
#      created_at BETWEEN the secondary's time -2 s and +2 s (text bounds from strftime)
#   e  lower bound: cp PRIMARY OUT; sqlite3 OUT: INSERT every secondary row (no dedupe)
#   f  floor, for reference: cp PRIMARY OUT, sync OUT (fsync, as every other variant's commit
#      does), read SECONDARY (cat > /dev/null); no merge, no row count. What a durable copy of
#      the primary and a read of the secondary cost on this disk.
#   g  heatmap-merge -n --format sql PRIMARY SECONDARY > PATCH    (making the exact SQL patch;
#      its rows are checked through h)
#   h  applying that patch: cp PRIMARY OUT; sqlite3 OUT < PATCH (the patch is made once, before
#      the rounds)
#   w  heatmap-merge -o OUT PRIMARY SECONDARY-WAL: a as if no page of the secondary were shared,
#      the same secondary in WAL mode (bench/wal-secondary.sh), whose every row is read
#
# Peak memory is GNU time's %M (the largest resident set of the command and its children);
# without /usr/bin/time (apt-get install time) it shows n/a. Times are wall-clock seconds with
# the inputs in the page cache (they are read once before the first round).
#
# Exit status: 0 when every run of every variant produced its expected row count (and a sound
# database); 1 on a MISMATCH or a failed command; 64 on a usage error.
set -u

usage() {
  echo "usage: $0 EVENTS [RUNS]" >&2
  exit 64
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
events=$1
runs=${2:-5}
case $events in '' | *[!0-9]*) usage ;; esac
case $runs in '' | *[!0-9]* | 0) usage ;; esac
variants=${VARIANTS:-a b c d e f g h w}
for v in $variants; do
  case $v in a | b | c | d | e | f | g | h | w) ;; *) echo "$0: unknown variant $v" >&2; exit 64 ;; esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cache_root=${BENCH_CACHE:-${TMPDIR:-/tmp}/heatmap-merge-bench}
cache=$cache_root/$events
work=$cache/work

die() {
  echo "$0: $*" >&2
  exit 1
}
command -v sqlite3 >/dev/null 2>&1 || die "needs the sqlite3 CLI (apt-get install sqlite3)"

now() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    echo "${EPOCHREALTIME/,/.}"
  else
    date +%s.%N
  fi
}

# --- the binary --------------------------------------------------------------------------
if [ -n "${HEATMAP_MERGE:-}" ]; then
  bin=$HEATMAP_MERGE
  source_rev="as given by HEATMAP_MERGE"
else
  bin=$root/build-bench/heatmap-merge
  echo "building $bin (Release) ..." >&2
  mkdir -p "$cache_root"
  if ! { cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release &&
    cmake --build "$root/build-bench" -j1 --target heatmap-merge; } >"$cache_root/build.log" 2>&1; then
    tail -n 30 "$cache_root/build.log" >&2
    die "the build failed (log: $cache_root/build.log)"
  fi
  source_rev="built from $(git -C "$root" describe --always --dirty 2>/dev/null || echo "an unknown revision")"
fi
[ -x "$bin" ] || die "no executable $bin"

# --- the replica pair --------------------------------------------------------------------
stamp=$(cat "$here/generate.sh" "$root/testdata/schema.sql" | cksum | cut -d' ' -f1)
if [ "$(cat "$cache/stamp" 2>/dev/null)" != "$stamp" ] || [ ! -s "$cache/expected.txt" ] ||
  [ ! -s "$cache/primary.db" ] || [ ! -s "$cache/secondary.db" ]; then
  echo "generating $events events into $cache ..." >&2
  rm -rf "$cache"
  mkdir -p "$cache"
  t0=$(now)
  "$here/generate.sh" "$events" "$cache" >/dev/null || die "generate.sh failed"
  echo "$stamp" >"$cache/stamp"
  echo "generated in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s" >&2
fi
primary=$cache/primary.db
secondary=$cache/secondary.db
get() { sed -n "s/^$1=//p" "$cache/expected.txt"; }
primary_rows=$(get primary_rows)
secondary_rows=$(get secondary_rows)
split=$(get double_clicks_split)

declare -A expect note
expect[a]=$(get rows_out_exact)
expect[b]=$(get rows_out_not_exists)
expect[c]=$(get rows_out_window)
expect[d]=$(get rows_out_not_exists_window)
expect[e]=$(get rows_out_lower_bound)
expect[f]=-
expect[g]=-
expect[h]=$(get rows_out_exact)
expect[w]=$(get rows_out_exact)
note[b]="by design: 1 copy of each of the $split split double clicks"
note[d]="by design: as b, and window-matched"

declare -A label
label[a]="a heatmap-merge exact"
label[b]="b sqlite3 NOT EXISTS exact"
label[c]="c heatmap-merge --window 2s"
label[d]="d sqlite3 NOT EXISTS +-2s"
label[e]="e lower bound: cp + append all"
label[f]="f floor: cp+sync, read second."
label[g]="g heatmap-merge sql patch"
label[h]="h apply it: cp + sqlite3 < patch"
label[w]="w a, WAL secondary (no sharing)"

rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

cols="page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent, created_at"
scols="s.page_url, s.x, s.y, s.viewport_width, s.viewport_height, s.scroll_y, s.user_agent, s.created_at"
cat >"$work/b.sql" <<SQL
ATTACH '$secondary' AS s;
CREATE INDEX main.bench_exact_key ON click_events(created_at, x, y, page_url);
INSERT INTO main.click_events($cols)
SELECT $scols FROM s.click_events AS s
WHERE NOT EXISTS (SELECT 1 FROM main.click_events AS m
                  WHERE m.created_at = s.created_at AND m.x = s.x AND m.y = s.y
                    AND m.page_url = s.page_url);
SQL
cat >"$work/d.sql" <<SQL
ATTACH '$secondary' AS s;
CREATE INDEX main.bench_window_key ON click_events(page_url, x, y, created_at);
INSERT INTO main.click_events($cols)
SELECT $scols FROM s.click_events AS s
WHERE NOT EXISTS (SELECT 1 FROM main.click_events AS m
                  WHERE m.page_url = s.page_url AND m.x = s.x AND m.y = s.y
                    AND m.created_at BETWEEN strftime('%Y-%m-%d %H:%M:%f', s.created_at, '-2 seconds')
                                         AND strftime('%Y-%m-%d %H:%M:%f', s.created_at, '+2 seconds'));
SQL
cat >"$work/e.sql" <<SQL
ATTACH '$secondary' AS s;
INSERT INTO main.click_events($cols) SELECT $scols FROM s.click_events AS s;
SQL

# The command of variant $1 writing $2, as one sh -c string (so GNU time sees the whole of it).
command_of() {
  local out=$2
  case $1 in
  a) printf '%q ' "$bin" ${HM_ARGS:-} --format json -o "$out" "$primary" "$secondary" ;;
  c) printf '%q ' "$bin" ${HM_ARGS:-} --window 2s --format json -o "$out" "$primary" "$secondary" ;;
  b | d | e) printf 'cp %q %q && sqlite3 %q < %q' "$primary" "$out" "$out" "$work/$1.sql" ;;
  f) printf 'cp %q %q && sync %q && cat %q > /dev/null' "$primary" "$out" "$out" "$secondary" ;;
  g) printf '%q ' "$bin" ${HM_ARGS:-} -n --format sql "$primary" "$secondary" && printf '> %q' "$work/g.sql" ;;
  h) printf 'cp %q %q && sqlite3 %q < %q' "$primary" "$out" "$out" "$work/patch.sql" ;;
  w) printf '%q ' "$bin" ${HM_ARGS:-} --format json -o "$out" "$primary" "$cache/secondary-wal.db" ;;
  esac
}

if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  gnu_time=1
else
  gnu_time=0
  echo "note: no GNU time (apt-get install time): peak memory shows n/a" >&2
fi

case " $variants " in *" h "*)
  "$bin" -n --format sql "$primary" "$secondary" >"$work/patch.sql" || die "making the patch for h failed"
  ;;
esac

case " $variants " in *" w "*)
  "$here/wal-secondary.sh" "$cache" || die "cannot make the WAL secondary for w"
  ;;
esac

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
# Warm the page cache: every variant then reads the inputs from memory.
cat "$primary" "$secondary" >/dev/null
[ -f "$cache/secondary-wal.db" ] && cat "$cache/secondary-wal.db" >/dev/null

declare -A times peaks rows status
failed=0
for v in $variants; do status[$v]=ok; done

for ((round = 1; round <= runs; round++)); do
  for v in $variants; do
    out=$work/out-$v.db
    rm -f "$out" "$out-journal" "$out-wal" "$out-shm"
    cmd=$(command_of "$v" "$out")
    t0=$(now)
    if [ "$gnu_time" = 1 ]; then
      /usr/bin/time -f %M -o "$work/rss" sh -c "$cmd" >"$work/stdout" 2>"$work/stderr"
    else
      sh -c "$cmd" >"$work/stdout" 2>"$work/stderr"
    fi
    rc=$?
    t1=$(now)
    if [ "$rc" -ne 0 ]; then
      echo "FAILED: ${label[$v]} (round $round) exited $rc: $cmd" >&2
      sed -n '1,20p' "$work/stderr" >&2
      status[$v]=FAILED
      failed=1
      continue
    fi
    times[$v]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') "
    if [ "$gnu_time" = 1 ]; then
      peaks[$v]+="$(tail -n 1 "$work/rss") "
    fi
    if [ "$v" != f ] && [ "$v" != g ]; then
      n=$(sqlite3 "$out" 'SELECT count(*) FROM click_events' 2>&1)
      rows[$v]=$n
      if [ "$n" != "${expect[$v]}" ]; then
        echo "MISMATCH: ${label[$v]} (round $round) wrote $n rows, expected ${expect[$v]}" >&2
        status[$v]=MISMATCH
        failed=1
      fi
      case $v in a | c | w)
        # The report must say what was written.
        reported=$(tr -d ' \n' <"$work/stdout" | grep -o '"rows_out":[0-9]*' | head -n 1 | cut -d: -f2)
        if [ "$reported" != "$n" ]; then
          echo "MISMATCH: ${label[$v]} (round $round) reported rows_out=${reported:-none}, wrote $n" >&2
          status[$v]=MISMATCH
          failed=1
        fi
        ;;
      esac
      if [ "$round" = 1 ]; then
        # Once per variant: a sound database whose first rows are the primary's, untouched.
        qc=$(sqlite3 "$out" 'PRAGMA quick_check' 2>&1 | head -n 3)
        kept=$(sqlite3 "$out" "SELECT count(*) FROM click_events WHERE id <= (SELECT max(id) FROM click_events) - ($n - $primary_rows)" 2>&1)
        if [ "$qc" != ok ]; then
          echo "CORRUPT: ${label[$v]}: quick_check says: $qc" >&2
          status[$v]=CORRUPT
          failed=1
        elif [ "$kept" != "$primary_rows" ]; then
          echo "MISMATCH: ${label[$v]}: $kept rows below the appended ids, expected the primary's $primary_rows" >&2
          status[$v]=MISMATCH
          failed=1
        fi
      fi
    fi
    rm -f "$out" "$out-journal" "$out-wal" "$out-shm"
  done
  echo "round $round/$runs done" >&2
done

median() { # numbers on stdin -> their median
  tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
minmax() {
  tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END {
    if (NR == 0) print "-"; else printf "%.2f-%.2f", lo, hi }'
}

declare -A med
for v in $variants; do
  med[$v]=$(echo "${times[$v]:-}" | median)
done
ratio() { # a b -> a/b or -
  awk -v a="${1:--}" -v b="${2:--}" 'BEGIN {
    if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'
}

mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
echo
echo "heatmap-merge benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') cores"
echo "  $events events: primary $primary_rows rows ($(mib "$(wc -c <"$primary")") MiB)," \
  "secondary $secondary_rows rows ($(mib "$(wc -c <"$secondary")") MiB); $runs runs each"
echo "  binary: $bin ($source_rev)${HM_ARGS:+, with $HM_ARGS}"
echo "  load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo
printf '%-31s %9s %11s %8s %9s %10s %10s  %s\n' variant "median s" "min-max" "x b" "peak MiB" "rows out" expected check
for v in $variants; do
  if [ -n "${peaks[$v]:-}" ]; then
    peak=$(echo "${peaks[$v]}" | tr ' ' '\n' | grep . | sort -n | tail -n 1)
    peak=$(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')
  else
    peak=n/a
  fi
  m=${med[$v]}
  [ "$m" = - ] || m=$(printf '%.3f' "$m")
  check=${status[$v]}
  if [ "$check" = ok ] && [ -n "${note[$v]:-}" ]; then
    check="ok (${note[$v]})"
  fi
  [ "$v" = f ] && check="(no merge: reference only)"
  [ "$v" = g ] && check="(its rows: see h)"
  printf '%-31s %9s %11s %8s %9s %10s %10s  %s\n' "${label[$v]}" "$m" \
    "$(echo "${times[$v]:-}" | minmax)" "$(ratio "${med[$v]}" "${med[b]:-}")" "$peak" \
    "${rows[$v]:--}" "${expect[$v]}" "$check"
done
echo
echo "  c/d (window vs hand-written window): $(ratio "${med[c]:-}" "${med[d]:-}")"
echo "  a/e (exact vs no-dedupe lower bound): $(ratio "${med[a]:-}" "${med[e]:-}")"
echo "  a/f (exact vs durable cp + read floor): $(ratio "${med[a]:-}" "${med[f]:-}")"
echo "  g/a (making the SQL patch vs the exact merge): $(ratio "${med[g]:-}" "${med[a]:-}")"
echo "  h/b (applying it vs the hand-written exact merge): $(ratio "${med[h]:-}" "${med[b]:-}")"
echo "  w/b (exact, every secondary row read, vs the hand-written exact merge): $(ratio "${med[w]:-}" "${med[b]:-}")"
echo "  issue 5 targets on 1M events: a/b <= 0.45, c/d <= 0.15, peak <= 80 MiB"
echo "  issue 17 targets on 1M events: g/a <= 1, h/b <= about 1"
echo "  issue 15 target on 1M events: w/b <= 0.40"
echo "  (timings are only comparable when the load average stays well below the core count)"
if [ "$failed" != 0 ]; then
  echo
  echo "*** MISMATCH or FAILURE: see the messages above; these timings do not count ***"
  exit 1
fi
