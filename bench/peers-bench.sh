#!/usr/bin/env bash
# Issue 28's figures on write-to-both peers (bench/peers-generate.sh): the time, CPU and peak
# memory of the replay pass and of --peers against today's --window merge, and each result
# checked against the truth file (bench/peers-check.sh).
#
#   bench/peers-bench.sh EVENTS [ROUNDS]        e.g. bench/peers-bench.sh 1000000 5
#
# EVENTS  real clicks per node; the nodes are generated once into $BENCH_DATA (default
#         /work/bench-data/peers-EVENTS) and reused while a.db, b.db, truth.db and truth.txt are
#         there (4M clicks take about 5-7 minutes to generate).
# ROUNDS  default 5. The variants take turns within each round (as in bench/run.sh), R being
#         each of $REPLAY_WINDOWS (default "10m 7h"):
#   w     heatmap-merge -o OUT --window 1s A B                       (today's merge: the baseline)
#   r     heatmap-merge -o OUT --window 1s --replay-window R A B
#   pn    heatmap-merge -n --peers --window 1s --replay-window R A' B'   (the dry run)
#   p     heatmap-merge --peers --in-place --window 1s --replay-window R A' B'
#   p2    the same again on the nodes p left: it must give 0 rows to each
#   u     heatmap-merge -o OUT --peers --window 1s --replay-window R A B  (the union, no primary:
#         A's own replayed duplicates left out too, so each click once)
#   ri    heatmap-merge --in-place --remove-replays --window 1s --replay-window R A'' B''
#         (A'' made the union in place: B's clicks added, A's own replayed duplicates deleted)
#   ri2   the same again on the A'' ri left: it must add and remove nothing
#   where A', B' and A'', B'' are fresh copies of the nodes (made and synced before pn and before
#   ri, untimed); every merge with --format json.
# Each run is timed with GNU time (wall, user + system, max RSS). Checks, on the rounds
# $PEERS_CHECK says (all, the default, or first: round 1 only, later rounds must then repeat
# round 1's row counts): peers-check.sh on w's, r's and u's outputs and on the A'' ri leaves (as
# unions) and on each node p left (--as a, --as b); pn's rows_added per node must be p's, and pn
# must leave the copies as they were; p2 and ri2 must change nothing; u and ri must lose no click
# beyond their chance estimate (clicks held twice are listed as NOTEs: at an R below the longest
# replay delay they are the window's trade-off). Any failure prints DEFECT, exit status 1.
#
# Environment: HEATMAP_MERGE (the binary; default build-bench/heatmap-merge, built as Release
# first), BENCH_DATA, REPLAY_WINDOWS, PEERS_CHECK, HM_ARGS (more arguments for every merge),
# BENCH_WORK (a directory in which peers-work-EVENTS holds the copies, backups and outputs, made
# and removed by the script; default: $BENCH_DATA/work. At 4M they take up to 4 GiB: a tmpfs such
# as /dev/shm when the disk is short, though it makes fsync free for every variant alike).
# The logs (times, check outputs, round 1's JSON reports) stay in $BENCH_DATA/log-DATE.
# Needs sqlite3, jq and GNU time (apt-get install sqlite3 jq time).
set -u

usage() {
  echo "usage: $0 EVENTS [ROUNDS]" >&2
  exit 64
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
events=$1
rounds=${2:-5}
case $events in '' | *[!0-9]*) usage ;; esac
case $rounds in '' | *[!0-9]* | 0) usage ;; esac
windows=${REPLAY_WINDOWS:-10m 7h}
check_mode=${PEERS_CHECK:-all}
case $check_mode in all | first) ;; *) echo "$0: PEERS_CHECK is all or first" >&2; exit 64 ;; esac
read -r -a hm_args <<<"${HM_ARGS:-}"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
data=${BENCH_DATA:-/work/bench-data/peers-$events}

die() {
  echo "$0: $*" >&2
  exit 1
}
for tool in sqlite3 jq; do
  command -v $tool >/dev/null 2>&1 || die "needs $tool (apt-get install sqlite3 jq time)"
done
/usr/bin/time -f %M -o /dev/null true 2>/dev/null || die "needs GNU time (apt-get install time)"

# --- the binary, as bench/run.sh builds it --------------------------------------------------
if [ -n "${HEATMAP_MERGE:-}" ]; then
  bin=$HEATMAP_MERGE
  source_rev="as given by HEATMAP_MERGE"
else
  bin=$root/build-bench/heatmap-merge
  echo "building $bin (Release) ..." >&2
  if ! { cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release &&
    cmake --build "$root/build-bench" -j2 --target heatmap-merge; } >"$root/build-bench.log" 2>&1; then
    tail -n 30 "$root/build-bench.log" >&2
    die "the build failed (log: $root/build-bench.log)"
  fi
  source_rev="built from $(git -C "$root" describe --always --dirty 2>/dev/null || echo "an unknown revision")"
fi
[ -x "$bin" ] || die "no executable $bin"

# --- the nodes ------------------------------------------------------------------------------
if [ ! -s "$data/a.db" ] || [ ! -s "$data/b.db" ] || [ ! -s "$data/truth.db" ] ||
  [ ! -s "$data/truth.txt" ]; then
  echo "generating $events clicks per node into $data ..." >&2
  rm -rf "$data.tmp"
  mkdir -p "$data.tmp"
  /usr/bin/time -f '%e s wall, %U + %S s CPU, %M KiB peak' -o "$data.tmp/generate.time" \
    "$here/peers-generate.sh" "$events" "$data.tmp" >/dev/null || die "peers-generate.sh failed"
  rm -rf "$data"
  mv "$data.tmp" "$data"
  echo "generated: $(cat "$data/generate.time")" >&2
fi
truth() { sed -n "s/^$1=//p" "$data/truth.txt"; }
rows_a=$(truth rows_a)
rows_b=$(truth rows_b)

work=$data/work
[ -n "${BENCH_WORK:-}" ] && work=$BENCH_WORK/peers-work-$events
log=$data/log-$(date -u +%Y%m%dT%H%M%SZ)
rm -rf "$work"
mkdir -p "$work" "$log"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
failed=0
defect() {
  echo "DEFECT: $*" | tee -a "$log/defects.txt" >&2
  failed=1
}
count() { sqlite3 -readonly "$1" 'SELECT count(*) FROM click_events'; }

# run_timed NAME CMD...: runs CMD under GNU time (stdout to $work/NAME.json, round 1's kept in $log);
# sets t_wall t_cpu t_rss rc. An exit 75 is retried twice, as an operator would.
run_timed() {
  local name=$1
  shift
  local try
  for try in 1 2 3; do
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/$name.json" 2>"$work/$name.err"
    rc=$?
    # 75: a lock held too long (--max-lock-hold) or by another process; an operator retries.
    [ "$rc" = 75 ] || break
    echo "TEMPFAIL: round $round: $name exited 75 (try $try): $(grep -o 'error: .*' "$work/$name.err" | cut -c1-160)" |
      tee -a "$log/tempfails.txt" >&2
  done
  read -r t_wall t_user t_sys t_rss < <(tail -n 1 "$work/time")
  t_cpu=$(awk -v u="$t_user" -v s="$t_sys" 'BEGIN { printf "%.2f", u + s }')
  if [ "$rc" -ne 0 ]; then
    defect "round $round: $name exited $rc: $*"
    sed -n '1,10p' "$work/$name.err" >&2
  fi
  [ "$round" = 1 ] && cp "$work/$name.json" "$log/$name.json"
  [ "$t_rss" -le $((160 * 1024)) ] || defect "round $round: $name peaked at $((t_rss / 1024)) MiB (budget 128 MiB + 32)"
}

# check NAME AS DB: peers-check.sh, its output kept; sets c_missing c_extra c_unknown c_rows c_short.
check() {
  local name=$1 as=$2 db=$3
  "$here/peers-check.sh" --as "$as" "$db" "$data" >"$log/check-$name-round$round.txt" 2>&1
  local f=$log/check-$name-round$round.txt
  g() { sed -n "s/^$1=//p" "$f"; }
  c_rows=$(g rows)
  c_missing=$(g clicks_missing)
  c_extra=$(g clicks_extra)
  c_short=$(g clicks_short)
  c_unknown=$(g rows_unknown)
  [ -n "$c_rows" ] || defect "round $round: peers-check.sh gave no figures for $name (see $f)"
  [ "${c_unknown:-0}" = 0 ] || defect "round $round: $name holds $c_unknown rows that are no click"
}

checking() { [ "$check_mode" = all ] || [ "$round" = 1 ]; }
results=$log/results.tsv
printf 'round\tvariant\twall\tcpu\trss_kib\trows\tadded_a\tadded_b\tchance_a\tchance_b\tpairs_across\treplayed_dups\tmissing\textra\tshort\tunknown\tremoved\n' >"$results"
# record VARIANT ROWS ADDED_A ADDED_B CHANCE_A CHANCE_B PAIRS DUPS MISSING EXTRA SHORT UNKNOWN REMOVED
record() {
  printf '%s\t%s\t%s\t%s\t%s' "$round" "$1" "$t_wall" "$t_cpu" "$t_rss" >>"$results"
  shift
  printf '\t%s' "$@" >>"$results"
  printf '\n' >>"$results"
}
declare -A first_rows
# same_rows VARIANT ROWS: later rounds must give round 1's rows.
same_rows() {
  [ -z "${first_rows[$1]:-}" ] && first_rows[$1]=$2
  [ "$2" = "${first_rows[$1]}" ] || defect "round $round: $1 gave $2 rows, round 1 ${first_rows[$1]}"
}
# u_json JSON: the replay figures of a merge with A the primary; sets chance pairs dups removed.
u_json() {
  chance=$(jq '.replay.chance_pairs' "$1")
  pairs=$(jq '.replay.pairs_across' "$1")
  dups=$(jq '.replay.replayed_duplicates' "$1")
  removed=$(jq '.replay.primary_replayed_removed // "-"' "$1")
}
# union_defects VARIANT: after check on a union meant to hold each click once.
union_defects() {
  [ "$c_missing" -le "$chance" ] ||
    defect "round $round: $1 lost $c_missing clicks, more than its chance estimate $chance"
  [ "$c_extra" = 0 ] || echo "NOTE: round $round: $1 holds $c_extra clicks more than once (chance estimate $chance)" |
    tee -a "$log/notes.txt" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$data/a.db" "$data/b.db" >/dev/null
base=(--format json --window 1s "${hm_args[@]}")
for ((round = 1; round <= rounds; round++)); do
  # (w) today's merge.
  out=$work/out.db
  rm -f "$out"
  run_timed w "$bin" "${base[@]}" -o "$out" "$data/a.db" "$data/b.db"
  n=$(count "$out")
  if checking; then
    check w union "$out"
    record w "$n" - - - - - - "$c_missing" "$c_extra" "$c_short" "$c_unknown" -
  else
    record w "$n" - - - - - - - - - - -
  fi
  rm -f "$out"
  for R in $windows; do
    # (r) the union with the replay pass.
    run_timed "r:$R" "$bin" "${base[@]}" --replay-window "$R" -o "$out" "$data/a.db" "$data/b.db"
    j=$work/r:$R.json
    n=$(count "$out")
    chance=$(jq '.replay.chance_pairs' "$j")
    pairs=$(jq '.replay.pairs_across' "$j")
    dups=$(jq '.replay.replayed_duplicates' "$j")
    if checking; then
      check "r:$R" union "$out"
      [ "$c_missing" -le "$chance" ] ||
        defect "round $round: r:$R lost $c_missing clicks, more than its chance estimate $chance"
      record "r:$R" "$n" - - "$chance" - "$pairs" "$dups" "$c_missing" "$c_extra" "$c_short" "$c_unknown" -
    else
      record "r:$R" "$n" - - "$chance" - "$pairs" "$dups" - - - - -
    fi
    [ -z "${first_rows[r:$R]:-}" ] && first_rows[r:$R]=$n
    [ "$n" = "${first_rows[r:$R]}" ] || defect "round $round: r$R wrote $n rows, round 1 ${first_rows[r:$R]}"
    rm -f "$out"

    # Fresh copies of both nodes, on disk before the timed runs.
    rm -f "$work"/a.db* "$work"/b.db*
    cp "$data/a.db" "$data/b.db" "$work/"
    sync
    # (pn) the dry run.
    run_timed "pn:$R" "$bin" -n --peers "${base[@]}" --replay-window "$R" "$work/a.db" "$work/b.db"
    j=$work/pn:$R.json
    pn_a=$(jq '.nodes[0].rows_added' "$j")
    pn_b=$(jq '.nodes[1].rows_added' "$j")
    record "pn:$R" - "$pn_a" "$pn_b" "$(jq '.nodes[0].report.replay.chance_pairs' "$j")" \
      "$(jq '.nodes[1].report.replay.chance_pairs' "$j")" - - - - - - -
    if [ "$(count "$work/a.db")" != "$rows_a" ] || [ "$(count "$work/b.db")" != "$rows_b" ]; then
      defect "round $round: the dry run pn:$R changed a node"
    fi
    # (p) each node given what it lacks.
    run_timed "p:$R" "$bin" --peers --in-place "${base[@]}" --replay-window "$R" "$work/a.db" "$work/b.db"
    j=$work/p:$R.json
    p_a=$(jq '.nodes[0].rows_added' "$j")
    p_b=$(jq '.nodes[1].rows_added' "$j")
    ch_a=$(jq '.nodes[0].report.replay.chance_pairs' "$j")
    ch_b=$(jq '.nodes[1].report.replay.chance_pairs' "$j")
    na=$(count "$work/a.db")
    nb=$(count "$work/b.db")
    [ "$pn_a $pn_b" = "$p_a $p_b" ] || defect "round $round: pn:$R said $pn_a $pn_b rows, p:$R added $p_a $p_b"
    [ "$na $nb" = "$((rows_a + p_a)) $((rows_b + p_b))" ] ||
      defect "round $round: p:$R reports $p_a $p_b rows added, the nodes hold $na $nb (from $rows_a $rows_b)"
    if checking; then
      check "p:$R-a" a "$work/a.db"
      ma=$c_missing ea=$c_extra sa=$c_short ua=$c_unknown
      check "p:$R-b" b "$work/b.db"
      # Clicks a node lacks after p are losses to chance pairs: a defect beyond the estimate.
      [ "$ma" = 0 ] && [ "$c_missing" = 0 ] ||
        echo "NOTE: round $round: after p:$R node a lacks $ma clicks, node b $c_missing (chance estimates $ch_a/$ch_b)" |
        tee -a "$log/notes.txt" >&2
      [ "$sa" -le "$ch_a" ] && [ "$c_short" -le "$ch_b" ] ||
        defect "round $round: after p:$R nodes short of $sa/$c_short clicks, chance estimates $ch_a/$ch_b"
      record "p:$R" "$na/$nb" "$p_a" "$p_b" "$ch_a" "$ch_b" - - "$ma/$c_missing" "$ea/$c_extra" \
        "$sa/$c_short" "$ua/$c_unknown" -
    else
      record "p:$R" "$na/$nb" "$p_a" "$p_b" "$ch_a" "$ch_b" - - - - - - -
    fi
    [ -z "${first_rows[p:$R]:-}" ] && first_rows[p:$R]="$na/$nb"
    [ "$na/$nb" = "${first_rows[p:$R]}" ] || defect "round $round: p$R left $na/$nb rows, round 1 ${first_rows[p:$R]}"
    # (p2) the rerun: nothing to give.
    run_timed "p2:$R" "$bin" --peers --in-place "${base[@]}" --replay-window "$R" "$work/a.db" "$work/b.db"
    j=$work/p2:$R.json
    r_a=$(jq '.nodes[0].rows_added' "$j")
    r_b=$(jq '.nodes[1].rows_added' "$j")
    record "p2:$R" "$(count "$work/a.db")/$(count "$work/b.db")" "$r_a" "$r_b" \
      "$(jq '.nodes[0].report.replay.chance_pairs' "$j")" "$(jq '.nodes[1].report.replay.chance_pairs' "$j")" - - - - - - -
    [ "$r_a $r_b" = "0 0" ] || defect "round $round: the rerun p2:$R added $r_a and $r_b rows"
    [ "$(count "$work/a.db")/$(count "$work/b.db")" = "$na/$nb" ] || defect "round $round: the rerun p2:$R changed the row counts"
    rm -f "$work"/a.db* "$work"/b.db*

    # (u) the union of peers: each click once, A's own replayed duplicates left out.
    run_timed "u:$R" "$bin" "${base[@]}" --peers --replay-window "$R" -o "$out" "$data/a.db" "$data/b.db"
    j=$work/u:$R.json
    n=$(count "$out")
    u_json "$j"
    if checking; then
      check "u:$R" union "$out"
      union_defects "u:$R"
      record "u:$R" "$n" - - "$chance" - "$pairs" "$dups" "$c_missing" "$c_extra" "$c_short" "$c_unknown" "$removed"
    else
      record "u:$R" "$n" - - "$chance" - "$pairs" "$dups" - - - - "$removed"
    fi
    same_rows "u:$R" "$n"
    rm -f "$out"

    # (ri) node A made the union in place, its own replayed duplicates deleted; (ri2) again.
    cp "$data/a.db" "$data/b.db" "$work/"
    sync
    run_timed "ri:$R" "$bin" --in-place --remove-replays "${base[@]}" --replay-window "$R" "$work/a.db" "$work/b.db"
    j=$work/ri:$R.json
    n=$(count "$work/a.db")
    u_json "$j"
    # (A failed run has no report: its figures count as 0, the failure is already a DEFECT.)
    ins=$(jq '.in_place.inserted // 0' "$j")
    rem=$(jq '.in_place.replays_removed // 0' "$j")
    left=$(jq '.in_place.replays_left // 0' "$j")
    [ "$n" = "$((rows_a + ins - rem))" ] ||
      defect "round $round: ri:$R reports $ins rows inserted, $rem removed, node a holds $n (from $rows_a)"
    [ "$left" = 0 ] || echo "NOTE: round $round: ri:$R left $left replays (changed under it)" | tee -a "$log/notes.txt" >&2
    if checking; then
      check "ri:$R" union "$work/a.db"
      union_defects "ri:$R"
      record "ri:$R" "$n" "$ins" - "$chance" - "$pairs" "$dups" "$c_missing" "$c_extra" "$c_short" "$c_unknown" "$rem"
    else
      record "ri:$R" "$n" "$ins" - "$chance" - "$pairs" "$dups" - - - - "$rem"
    fi
    same_rows "ri:$R" "$n"
    run_timed "ri2:$R" "$bin" --in-place --remove-replays "${base[@]}" --replay-window "$R" "$work/a.db" "$work/b.db"
    j=$work/ri2:$R.json
    ins2=$(jq '.in_place.inserted // 0' "$j")
    rem2=$(jq '.in_place.replays_removed // 0' "$j")
    record "ri2:$R" "$(count "$work/a.db")" "$ins2" - "$(jq '.replay.chance_pairs' "$j")" - - - - - - - "$rem2"
    [ "$ins2 $rem2" = "0 0" ] || defect "round $round: the rerun ri2:$R inserted $ins2 rows and removed $rem2"
    [ "$(count "$work/a.db")" = "$n" ] || defect "round $round: the rerun ri2:$R changed the row count"
    rm -f "$work"/a.db* "$work"/b.db*
  done
  echo "round $round/$rounds done ($(date -u +%H:%M:%S))" >&2
done

# --- the tables -----------------------------------------------------------------------------
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v v="$1" -v c="$2" 'NR > 1 && $2 == v { print $c }' "$results"; }
echo
echo "peers bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $events clicks per node, $rounds rounds"
echo "  nodes: a.db $rows_a rows ($(($(stat -c %s "$data/a.db") / 1048576)) MiB), b.db $rows_b rows;" \
  "distinct clicks $(truth distinct_clicks); replayed_dup_a $(truth replayed_dup_a), _b $(truth replayed_dup_b)"
echo "  binary: $bin ($source_rev)${HM_ARGS:+; HM_ARGS: $HM_ARGS}"
echo "  load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); logs: $log"
echo
w_wall=$(col w 3 | median)
w_cpu=$(col w 4 | median)
printf '%-8s %8s %8s %8s %8s %9s  %s\n' variant "wall s" "CPU s" "wall/w" "CPU/w" "peak MiB" "target (<= 1.5x w, peak <= 160 MiB)"
variants="w"
for R in $windows; do variants="$variants r:$R pn:$R p:$R p2:$R u:$R ri:$R ri2:$R"; done
for v in $variants; do
  wall=$(col "$v" 3 | median)
  cpu=$(col "$v" 4 | median)
  peak=$(col "$v" 5 | sort -n | tail -n 1)
  peak=$(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')
  rw=$(awk -v a="$wall" -v b="$w_wall" 'BEGIN { printf "%.2f", a / b }')
  rc=$(awk -v a="$cpu" -v b="$w_cpu" 'BEGIN { printf "%.2f", a / b }')
  verdict=$(awk -v rw="$rw" -v rc="$rc" -v p="$peak" -v v="$v" 'BEGIN {
    s = (v == "w" || (rw <= 1.5 && rc <= 1.5)) ? "time ok" : "time OVER"
    s = s ((p <= 160) ? ", peak ok" : ", peak OVER"); print s }')
  printf '%-8s %8.2f %8.2f %8s %8s %9s  %s\n' "$v" "$wall" "$cpu" "$rw" "$rc" "$peak" "$verdict"
done
echo
echo "truth (round 1; a/b: node a / node b; extra_rows_beyond_a_dups: union rows - clicks held -"
echo "  A's own duplicates, but for u and ri, which leave those out: there union rows - clicks held)"
awk -F'\t' -v da="$(truth replayed_dup_a)" -v dist="$(truth distinct_clicks)" '
  NR == 1 { next }
  $1 == 1 && $2 !~ /^(pn|p2|ri2)/ {
    extra = ($2 ~ /^p/) ? "-" : $6 - (dist - $13) - $16 - (($2 ~ /^(u|ri):/) ? 0 : da)
    printf "%-6s rows %-17s added %s/%s chance %s/%s pairs_across %s replayed_dups %s removed %s | missing %s extra %s short %s unknown %s | extra_rows_beyond_a_dups %s\n",
      $2, $6, $7, $8, $9, $10, $11, $12, $17, $13, $14, $15, $16, extra
  }' "$results"
echo
# The genuine double clicks that only one node holds (the outage): each must stay two clicks.
echo "double clicks only one node holds (round 1): shape | clicks | once | twice | more | missing | not as expected"
for f in "$log"/check-*-round1.txt; do
  [ -s "$f" ] || continue
  name=${f#"$log"/check-}
  sed -n "s/^\(only on [ab], double click\)|/${name%-round1.txt}: \1|/p" "$f"
done
echo
[ -s "$log/tempfails.txt" ] && echo "$(wc -l <"$log/tempfails.txt") runs exited 75 and were retried: $log/tempfails.txt"
[ -s "$log/notes.txt" ] && cat "$log/notes.txt"
if [ "$failed" != 0 ]; then
  echo "*** DEFECTS: see $log/defects.txt ***"
  exit 1
fi
echo "no defect found: every check passed"
