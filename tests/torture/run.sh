#!/bin/sh
# Torture suite (issue 13, "Trustworthy beside a live service"): heatmap-merge beside a writer
# that behaves like the click service (tests/tools/live_writer: one INSERT + COMMIT per click,
# Python's 5 s busy timeout), on a disk with slow fsyncs, killed with SIGKILL, and the same merge
# again and again; and the SQL patch of --format sql applied by the sqlite3 shell to the live
# primary (issue 17), cut short by SIGKILL and applied again.
#
#   tests/torture/run.sh BUILD_DIR [quick|long]
#
# quick (the default) is CTest's torture.quick: a few minutes on 2 cores, less under
# AddressSanitizer. long is for local runs: larger replicas, more rounds and trials.
#   TORTURE_SEED=N      replays an earlier run's random choices (each run prints its seed)
#   TORTURE_GROUPS=...  runs only these groups of: live repeat slow-disk sigkill patch truncate
#   TORTURE_TMP=DIR     the scratch directory (default BUILD_DIR/torture-tmp)
#
# Every merge must exit 0 (or 75 after really waiting --lock-timeout), lose none of the service's
# clicks, double nothing, keep the primary's ids and pass integrity_check; a second --in-place
# adds nothing. A WAL secondary whose -wal is emptied again and again is read whole, as one
# snapshot. A patch must make the primary hold what -o makes of the same copies, beside the
# service's clicks, and add nothing the second time. The service's worst click latency and its
# refusals (SQLITE_BUSY: lost clicks) are recorded. Ends with a table per group and
# `N passed, M failed`; exits 1 if any failed.
set -u

usage() {
  echo "usage: $0 BUILD_DIR [quick|long]" >&2
  exit 64
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  usage
fi
build=$(cd "$1" && pwd) || exit 66
mode=${2:-quick}
source_dir=$(cd "$(dirname "$0")/../.." && pwd) # the checkout: this is tests/torture/run.sh
hm=${HEATMAP_MERGE:-$build/heatmap-merge}
writer_bin=${LIVE_WRITER:-$build/tests/live_writer}
shim=${SLOW_FSYNC:-$build/tests/libslow_fsync.so}
tmp=${TORTURE_TMP:-$build/torture-tmp}
groups=${TORTURE_GROUPS:-live repeat slow-disk sigkill patch truncate}
for file in "$hm" "$writer_bin" "$shim"; do
  [ -e "$file" ] || { echo "$0: $file is missing: build first" >&2; exit 66; }
done
command -v sqlite3 >/dev/null || { echo "$0: needs the sqlite3 CLI" >&2; exit 69; }
. "$source_dir/tests/torture/checks.inc"

# A sanitized build is several times slower: smaller replicas, fewer trials.
sanitized=0
case ${TORTURE_SANITIZED:-}:$build in
  1:* | ON:* | on:* | TRUE:* | true:* | *asan*) sanitized=1 ;;
esac
grep -q __asan_init "$hm" 2>/dev/null && sanitized=1
# ASan wants to come first among the loaded libraries; the slow-disk shim is preloaded.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# events: replica size (bench/generate.sh); big, mid: outage clicks added to the secondary for
# the slow-disk runs and SIGKILL trials (mid: those on the slow disk); rounds: passes over the
# live matrix; sparse: 1 to run each live configuration exact or window, not both; repeats,
# repeat_writers: runs in each series of the same merge, and the writers beside the series
# (none: nothing else running); slow: slow-disk runs, MATCH@CLICKS_PER_S; kills: SIGKILL trials;
# patches: patch trials (a cycle of 8 covers both journal modes, exact and window, killed or not);
# cap: seconds one merge may take before it counts as hung.
case $mode:$sanitized in
  quick:0)
    events=20000 big=30000 mid=5000 rounds=1 sparse=0 repeats=24 repeat_writers="none both"
    slow="exact@5" kills=8 patches=8 cap=120
    ;;
  quick:1)
    events=10000 big=10000 mid=3000 rounds=1 sparse=1 repeats=8 repeat_writers="none both"
    slow="exact@5" kills=8 patches=4 cap=120
    ;;
  long:*)
    events=200000 big=150000 mid=20000 rounds=3 sparse=0 repeats=60
    repeat_writers="none primary secondary both"
    slow="exact@5 window@5 exact@10 window@20" kills=48 patches=48 cap=900
    ;;
  *) usage ;;
esac
lock_timeout=5
first_seed=${TORTURE_SEED:-$(date +%s)}
seed=$first_seed
echo "torture: $mode mode, seed $seed, groups: $groups, in $tmp"

# random N: sets r to a pseudo-random number in [0, N) (an LCG on $seed: reproducible).
random() {
  seed=$(((seed * 1103515245 + 12345) % 2147483648))
  r=$((seed / 16 % $1))
}

# pick_rate RATES...: the service's click rate for the next run, one of RATES.
pick_rate() {
  random $#
  shift "$r"
  rate=$1
}

# set_match exact|window
set_match() {
  match=$1 window=""
  [ "$match" = window ] && window="--window 2s"
}

started=$(now_ms)
rm -rf "$tmp"
mkdir -p "$tmp/files" "$tmp/ref" "$tmp/runs"
: > "$tmp/results"
: > "$tmp/failures"
: > "$tmp/waits"
slow_disk=""
disk_env=""

# ---- The replicas: a bench/generate.sh pair, each side in rollback (delete) and WAL mode. The
# delete-mode secondary shares its history's pages byte for byte with the primary (as if seeded
# from a file copy), so the shared-pages path runs; a WAL secondary's pages are never compared.
sh "$source_dir/bench/generate.sh" "$events" "$tmp/gen" > /dev/null || exit 70
figure() {
  sed -n "s/^$1=//p" "$tmp/gen/expected.txt"
}
# outage PAIR: the clicks added to the secondary of PAIR (base, big or mid).
outage() {
  case $1 in base) echo 0 ;; big) echo "$big" ;; mid) echo "$mid" ;; esac
}
n0=$(figure primary_rows)
cp "$tmp/gen/primary.db" "$tmp/files/p-delete.db"
cp "$tmp/gen/secondary.db" "$tmp/files/s-delete.db"
# A long outage (clicks on 2026-01-01, before the history) makes --in-place take many transactions.
for pair in big mid; do
  cp "$tmp/gen/secondary.db" "$tmp/files/s-$pair.db"
  sqlite3 "$tmp/files/s-$pair.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
      WHERE i < $(outage $pair))
    INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
                             created_at)
    SELECT '/outage/' || (i % 50), i % 1000 + 0.5, i % 700, 1280, 800, 0, 'torture outage',
           strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds') FROM n"
done
for side in p s; do
  cp "$tmp/files/$side-delete.db" "$tmp/files/$side-wal.db"
  sqlite3 "$tmp/files/$side-wal.db" 'PRAGMA journal_mode = WAL' > /dev/null
done
history "$tmp/files/p-delete.db" > "$tmp/ref/history.sum"

# The disk's capacity: the clicks per second the service manages alone on a rollback-journal
# primary (each one a commit, each commit flushed); the repeat series stay below half of it.
cp "$tmp/files/p-delete.db" "$tmp/capacity.db"
capacity=$("$writer_bin" --rate 100000 "$tmp/capacity.db" 1 /capacity |
  sed -n 's/^live_writer inserted=\([0-9]*\) .*/\1/p')
rm -f "$tmp/capacity.db"
capacity=$((capacity / 2))
[ "$capacity" -ge 10 ] || capacity=10
echo "torture: the service manages $((capacity * 2)) clicks/s alone on this disk"

# The reference merges, undisturbed, must give the generator's own figures: every later run's
# replica rows are compared with them.
config=reference failed=0
for pair in base big mid; do
  for match in exact window; do
    set_match "$match"
    secondary=s-$pair
    [ "$pair" = base ] && secondary=s-delete
    want=$(($(figure "rows_out_$match") + $(outage $pair)))
    # shellcheck disable=SC2086 # $window is one option or none
    merge "$tmp/ref/$pair-$match" -v $window -o "$tmp/ref/$pair-$match.db" \
      "$tmp/files/p-delete.db" "$tmp/files/$secondary.db"
    got=$(rows "$tmp/ref/$pair-$match.db" 2>/dev/null)
    if [ "$rc" != 0 ] || [ "$got" != "$want" ]; then
      fail "reference merge $pair $match: exit $rc, $got rows, expected $want"
    fi
    echo "$want" > "$tmp/ref/$pair-$match.rows"
    merged "$tmp/ref/$pair-$match.db" > "$tmp/ref/$pair-$match.sum"
    rm -f "$tmp/ref/$pair-$match.db"
  done
done
# Coverage, not correctness: the delete-mode pair must take the shared-pages path (-v says so).
grep -q 'byte for byte: counted as exact duplicates' "$tmp/ref/base-exact.err" ||
  echo "torture: warning: the delete-mode replicas did not pair rows on shared pages"
if [ "$failed" = 1 ]; then
  echo "torture: even the undisturbed merges are wrong; nothing to torture"
  echo "0 passed, 1 failed"
  exit 1
fi

# ---- Runs: each in a directory of its own (removed if it passed), on copies of the replicas.

run_no=0
# new_run GROUP CONFIG PRIMARY SECONDARY: a run on copies of files/PRIMARY.db and
# files/SECONDARY.db, named p.db and s.db; with PRIMARY -, the next run of a series, on the same
# files in the same directory.
new_run() {
  group=$1 config=$2
  run_no=$((run_no + 1))
  if [ "$3" != - ]; then
    dir=$tmp/runs/$run_no
    mkdir "$dir"
    cd "$dir" || exit 70
    cp "$tmp/files/$3.db" p.db
    cp "$tmp/files/$4.db" s.db
    dir_failed=0
  fi
  echo "run $run_no: $config" >> config
  failed=0 bad_exit=0 waited=0
  clicks=0 refused=0 slow_clicks=0 worst=0
  run_started=$(now_ms)
}

# end_run [more]: records the run's outcome: group, failed, bad exits, waited 75s, service
# clicks, refusals, clicks over 1 s, worst click ms, run ms, configuration. With `more`, a series
# goes on: the writers keep clicking (their figures go to its last run), the directory stays.
end_run() {
  [ "${1:-}" = more ] || stop_writers
  echo "$group $failed $bad_exit $waited $clicks $refused $slow_clicks $worst" \
    "$(($(now_ms) - run_started)) $config" >> "$tmp/results"
  [ "$failed" = 0 ] || dir_failed=1
  [ "${1:-}" != more ] || return 0
  cd "$tmp" || exit 70
  [ "$dir_failed" = 1 ] || rm -rf "$dir"
}

writers=""
# Writers outlive nothing: not even this script's own failure.
trap 'for writer in $writers; do kill -TERM "${writer#*:}" 2>/dev/null; done' EXIT
trap 'exit 130' INT TERM

# start_writers WHO: the service's stand-in clicks on p.db, s.db or both (WHO: none, primary,
# secondary, both) at $rate clicks/s until stop_writers; the tool starts 0.1 s later.
start_writers() {
  for side in p s; do
    case $side:$1 in
      p:primary | p:both | s:secondary | s:both)
        # shellcheck disable=SC2086 # $disk_env is a list of variables or nothing
        env $disk_env "$writer_bin" --rate "$rate" --ids "ids-$side" "$side.db" 900 "/live-$side" \
          > "writer-$side.out" 2> "writer-$side.err" &
        writers="$writers $side:$!"
        # Ready (and stoppable) once it created its ids file.
        n=0
        while [ ! -e "ids-$side" ] && [ "$n" -lt 500 ]; do
          sleep 0.01
          n=$((n + 1))
        done
        ;;
    esac
  done
  [ -z "$writers" ] || sleep 0.1
}

# stop_writers: stops them 0.1 s later (SIGTERM: after the click in progress) and adds up their
# figures.
stop_writers() {
  [ -n "$writers" ] || return 0
  sleep 0.1
  for writer in $writers; do
    kill -TERM "${writer#*:}" 2>/dev/null
  done
  for writer in $writers; do
    side=${writer%%:*}
    wait "${writer#*:}"
    stats=$(sed -n 's/^live_writer inserted=\([0-9]*\) refused=\([0-9]*\) slow=\([0-9]*\) worst_ms=\([0-9.]*\) .*/\1 \2 \3 \4/p' \
      "writer-$side.out")
    if [ -z "$stats" ]; then
      fail "the writer on $side.db died: $(head -c 300 "writer-$side.err")"
      continue
    fi
    # shellcheck disable=SC2086 # four numbers
    set -- $stats
    clicks=$((clicks + $1))
    refused=$((refused + $2))
    slow_clicks=$((slow_clicks + $3))
    worst=$(echo "$worst $4" | awk '{ print ($2 > $1) ? $2 : $1 }')
    # A refused click is a lost click: the service answered 500 ("database is locked").
    [ "$2" = 0 ] || fail "the service on $side.db refused $2 of $(($1 + $2)) clicks (worst $4 ms):" \
      "$(sort "writer-$side.err" | uniq -c | head -3 | tr '\n' ' ')"
  done
  writers=""
}

# finish_in_place FIRST_RC: after a first --in-place (and the writers) ended, finishes the job if
# it did not; then a second run must add exactly what the secondary's writer wrote since (usually
# nothing), and a third nothing; then the primary is checked.
finish_in_place() {
  if [ "$1" != 0 ]; then
    # shellcheck disable=SC2086
    merge again --in-place $window p.db s.db
    exit_ok again || { check_integrity p.db; return; }
  fi
  missing=$(($(rows s.db "page_url = '/live-s'") - $(rows p.db "page_url = '/live-s'")))
  # shellcheck disable=SC2086
  merge second --in-place $window p.db s.db
  exit_ok second && check_adds second "$missing"
  if [ "$missing" != 0 ]; then
    # shellcheck disable=SC2086
    merge third --in-place $window p.db s.db
    exit_ok third && check_adds third 0
  fi
  check_integrity p.db
  check_history p.db
  check_merged p.db "$pair-$match"
  check_service_clicks_kept p.db
  check_secondary_clicks p.db all
}

# run_merge HOW: one merge (dry, out or inplace) and its checks; --in-place stops the writers
# when its first run ends.
run_merge() {
  case $1 in
    dry)
      # shellcheck disable=SC2086
      merge dry -n --format json $window p.db s.db
      if exit_ok dry; then
        # The prediction is the reference's, plus the service clicks its snapshots held (at
        # most those committed so far).
        out=$(json_number dry.out rows_out)
        want=$(cat "$tmp/ref/$pair-$match.rows")
        live=$(cat ids-p ids-s 2>/dev/null | wc -l)
        if [ "$out" -lt "$want" ] || [ "$out" -gt $((want + live)) ]; then
          fail "dry run predicts $out rows, expected $want (+ up to $live service clicks)"
        fi
      fi
      # A dry run writes nothing: no output, no backup, no temporary file.
      for file in out.db p.db.backup-* .*.tmp-*; do
        [ ! -e "$file" ] || fail "the dry run wrote $file"
      done
      ;;
    out)
      rm -f out.db
      # shellcheck disable=SC2086
      merge out -o out.db --format json $window p.db s.db
      if exit_ok out; then
        # The output holds what its report says, and exactly the replicas' merge.
        [ "$(json_number out.out rows_out)" = "$(rows out.db)" ] ||
          fail "out.db has $(rows out.db) rows, its report says $(json_number out.out rows_out)"
        check_integrity out.db
        check_history out.db
        check_merged out.db "$pair-$match"
        check_service_snapshot out.db
        check_secondary_clicks out.db
      elif [ -e out.db ]; then
        # A run that fails leaves no output behind.
        fail "exit $rc left out.db"
      fi
      # The next run of a series starts without it; a failed run's stays for a look.
      if [ "$failed" = 1 ] && [ -e out.db ]; then
        mv out.db "out-$run_no.db"
      fi
      rm -f out.db
      ;;
    inplace)
      # shellcheck disable=SC2086
      merge first --in-place $window p.db s.db
      stop_writers
      exit_ok first
      finish_in_place $?
      ;;
  esac
}

# ---- live: both journal modes on each side, the service on neither, either or both, dry run,
# -o and --in-place, exact and within a window. The service clicks 20 to 1000 times a second
# beside a dry run or -o, 20 to 200 (a realistic load) beside --in-place.
live_matrix() {
  pair=base
  round=0
  while [ "$round" -lt "$rounds" ]; do
    for pj in delete wal; do
      for sj in delete wal; do
        for who in none primary secondary both; do
          for how in dry out inplace; do
            # A sanitized build's quick run takes exact and window in turn, not both.
            matches="exact window"
            if [ "$sparse" = 1 ]; then
              turn=$((${turn:-0} + 1))
              matches=exact
              [ $((turn % 2)) = 0 ] || matches=window
            fi
            for match in $matches; do
              set_match "$match"
              case $how in
                dry) group=dry-run && pick_rate 20 100 200 1000 ;;
                out) group=output && pick_rate 20 100 200 1000 ;;
                inplace) group=in-place && pick_rate 20 50 100 200 ;;
              esac
              [ "$who" = none ] && rate=0
              new_run "$group" "p=$pj s=$sj writer=$who@$rate/s $how $match" "p-$pj" "s-$sj"
              start_writers "$who"
              run_merge "$how"
              end_run
            done
          done
        done
      done
    done
    round=$((round + 1))
  done
}

# ---- repeat: the same merge again and again on the same files, with nothing else running
# (every answer the reference's), or beside the service clicking throughout the series: runs
# alternate dry run and -o, exact and within a window. Races that strike one run in 20 or 50
# show up here. The service clicks 20 to 200 times a second, but at most half as fast as the
# disk lets it: a service at its disk's limit holds the lock nearly all the time, and the tool
# waits and gives up (exit 75) so often that a series would take minutes.
repeated_runs() {
  pair=base
  for who in $repeat_writers; do
    for pj in delete wal; do
      for sj in delete wal; do
        rate=0
        [ "$who" = none ] || pick_rate 20 50 100 200
        [ "$rate" -le "$capacity" ] || rate=$capacity
        i=0
        while [ "$i" -lt "$repeats" ]; do
          how=dry match=exact
          [ $((i % 2)) = 0 ] || how=out
          [ $((i / 2 % 2)) = 0 ] || match=window
          set_match "$match"
          config="p=$pj s=$sj writer=$who@$rate/s $how $match #$i"
          if [ "$i" = 0 ]; then
            new_run repeat "$config" "p-$pj" "s-$sj"
            start_writers "$who"
          else
            new_run repeat "$config" - -
          fi
          run_merge "$how"
          i=$((i + 1))
          if [ "$i" -lt "$repeats" ]; then
            end_run more
          else
            end_run
          fi
        done
      done
    done
  done
}

# ---- slow-disk: every fsync takes 20 ms, for the tool and the service, a rollback-journal
# primary and a long outage: --in-place takes many transactions while the service commits. This
# is where the service used to get "database is locked". A rollback-journal commit flushes about
# four times there, so the service manages 10 clicks/s at most: 5 is a busy service, 10 and more
# one that alone keeps the lock all the time (the tool may then wait in vain: exit 75).
slow_disk_runs() {
  pair=big who=primary
  slow_disk=20
  disk_env="LD_PRELOAD=$shim SLOW_FSYNC_MS=$slow_disk"
  for run in $slow; do
    rate=${run#*@}
    set_match "${run%@*}"
    new_run slow-disk "p=delete s=delete+$big writer=$who@$rate/s fsync=${slow_disk}ms inplace $match" \
      p-delete s-big
    start_writers "$who"
    run_merge inplace
    end_run
  done
  slow_disk="" disk_env=""
}

# ---- sigkill: SIGKILL at a random point of --in-place, then a rerun (with the service still
# clicking, if it was) must finish the job. Trials cycle through: rollback-journal or WAL
# primary; the service clicking or not; an ordinary disk, or a slow one (20 ms fsyncs), where
# most of the time goes to commits, so that a kill often leaves a hot journal. An undisturbed
# run of each kind times the random delays.
slow_fsync() {
  if [ "$1" = slow ]; then
    slow_disk=20 disk_env="LD_PRELOAD=$shim SLOW_FSYNC_MS=20"
  else
    slow_disk="" disk_env=""
  fi
}

sigkill_trials() {
  set_match exact
  for kind in delete:fast wal:fast delete:slow; do
    pj=${kind%:*} disk=${kind#*:}
    pair=big
    [ "$disk" = slow ] && pair=mid
    slow_fsync "$disk"
    new_run sigkill "p=$pj s=delete+$(outage $pair) $disk disk: undisturbed" "p-$pj" "s-$pair"
    merge first --in-place p.db s.db
    echo "$took" > "$tmp/full-$pj-$disk"
    exit_ok first
    finish_in_place $?
    end_run
  done
  trial=0
  while [ "$trial" -lt "$kills" ]; do
    case $((trial % 8)) in
      0 | 4) pj=delete who=none disk=slow ;;
      1) pj=wal who=none disk=fast ;;
      2) pj=delete who=primary disk=fast ;;
      3) pj=delete who=none disk=fast ;;
      5) pj=wal who=primary disk=fast ;;
      6) pj=delete who=primary disk=slow ;;
      7) pj=delete who=none disk=slow ;;
    esac
    pair=big rate=0
    [ "$disk" = slow ] && pair=mid
    slow_fsync "$disk"
    [ "$who" = none ] || pick_rate 20 50 100 200
    # The service manages 10 clicks/s on the slow disk (see slow-disk).
    [ "$who:$disk" = primary:slow ] && rate=5
    full=$(cat "$tmp/full-$pj-$disk")
    random $((full + 1))
    delay=$r
    new_run sigkill \
      "p=$pj s=delete+$(outage $pair) writer=$who@$rate/s $disk disk: killed after $delay ms" \
      "p-$pj" "s-$pair"
    start_writers "$who"
    # shellcheck disable=SC2086 # $disk_env is a list of variables or nothing
    env $disk_env "$hm" --lock-timeout "$lock_timeout" --in-place p.db s.db > killed.out 2> killed.err &
    tool=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -KILL "$tool" 2>/dev/null
    wait "$tool" 2>/dev/null
    rc=$? took=$delay
    # It may have ended before the kill; then it must have ended well.
    [ "$rc" = 137 ] || exit_ok killed
    ls -A > left-behind
    # A hot journal is SQLite's to roll back: never a reason for "try again later" here.
    merge rerun --in-place p.db s.db
    if ! exit_ok rerun; then
      # Still check the data: roll back a hot journal as the service would, and run again.
      sqlite3 -cmd '.timeout 5000' p.db 'SELECT count(*) FROM click_events' > /dev/null
      merge rerun2 --in-place p.db s.db
      exit_ok rerun2
    fi
    stop_writers
    finish_in_place 0
    end_run
    trial=$((trial + 1))
  done
  slow_fsync fast
}

# ---- patch: the SQL patch of a dry run (--format sql), made from consistent copies (.backup) of
# the primary and of a secondary with a long outage (several transactions), applied with the
# sqlite3 shell to the primary while the service clicks on it. In half the trials the shell is
# killed (SIGKILL) at a random moment, half the time within its transactions, and the whole
# patch is applied again. The primary must then hold, besides the service's clicks, exactly the
# rows that -o makes of the same copies, and a further application must add nothing. Trials
# cycle through a rollback-journal and a WAL primary, exact and within a window, killed or not;
# the undisturbed ones time the kills. The shell's .timer tells how long each of the patch's
# transactions held the write lock.

# apply_patch NAME: the sqlite3 shell applies patch.sql to p.db, as the operator does, with its
# timer on: output in NAME.out, messages in NAME.err; sets rc and took. A run that takes more than
# $cap seconds is stopped (exit 124: a hang).
apply_patch() {
  start=$(now_ms)
  timeout "$cap" sqlite3 -cmd '.timer on' p.db < patch.sql > "$1.out" 2> "$1.err"
  rc=$?
  took=$(($(now_ms) - start))
}

# patch_ok NAME: true if the last application exited 0. As exit 75 for a merge, "database is
# locked" is no failure only after the statement really waited the patch's .timeout (5 s: a
# service that keeps the lock that long, on an overloaded disk); then it returns 1 with
# patch_waited=1 and the caller applies the patch again. Anything else is a failure.
patch_ok() {
  patch_waited=0
  [ "$rc" = 0 ] && return 0
  # The timer's last line: the statement that failed.
  stuck=$(awk '/^Run Time: real / { t = $4 * 1000 } END { printf "%d", t }' "$1.out")
  if [ "$rc" = 1 ] && [ "$stuck" -ge 5000 ] && grep -q 'database is locked' "$1.err"; then
    patch_waited=1 waited=$((waited + 1))
    echo "run $run_no [$config] $1: sqlite3 exit 1 after $took ms," \
      "its statement waited $stuck ms: $(head -c 200 "$1.err" | tr '\n' ' ')" >> "$tmp/waits"
    return 1
  fi
  bad_exit=1
  fail "$1: sqlite3 exit $rc after $took ms: $(head -c 300 "$1.err" | tr '\n' ' ')"
  return 1
}

# patch_timing NAME: "LONGEST START", in ms, from the timer lines of application NAME: the
# longest of its transactions (BEGIN IMMEDIATE, excluded, since it waits, to COMMIT: the write
# lock held) and when the first began. Nothing if the lines do not match the patch's statements
# (one a line ending in ';', VALUES rows aside).
patch_timing() {
  awk '
    FNR == NR {
      if ($0 !~ /^--/ && $0 ~ /;$/) {
        n++
        if ($0 == "BEGIN IMMEDIATE;") begins[n] = 1
        if ($0 == "COMMIT;") commits[n] = 1
      }
      next
    }
    /^Run Time: real / {
      m++
      if (m in begins) {
        if (!seen) { seen = 1; start = total }
        inside = 1
        held = 0
      } else if (inside) {
        held += $4
      }
      if (m in commits) {
        inside = 0
        if (held > longest) longest = held
      }
      total += $4
    }
    END { if (m == n && seen) printf "%d %d\n", longest * 1000, start * 1000 }
  ' patch.sql "$1.out"
}

# above: the rows of p.db beyond the snapshot's last id ($last_id) that are not the service's;
# nothing if a service on an overloaded disk kept the lock for 30 s.
above() {
  sqlite3 -cmd '.timeout 30000' p.db "SELECT count(*) FROM click_events
    WHERE id > $last_id AND page_url IS NOT '/live-p'" 2> above.err
}

# check_whole_transactions: sets already to what earlier applications added: whole
# transactions (of $patch_transaction_rows rows), or nothing.
check_whole_transactions() {
  already=$(above)
  if [ -z "$already" ]; then
    fail "cannot count the rows the patch added: $(head -c 200 above.err | tr '\n' ' ')"
    already=0
  elif [ "$already" != "$patch_rows" ] &&
    [ $((already % patch_transaction_rows)) != 0 ]; then
    fail "an application cut short left $already of the patch's $patch_rows rows:" \
      "not whole transactions"
  fi
}

patch_trials() {
  pair=big
  : > "$tmp/patch-tx"
  trial=0
  while [ "$trial" -lt "$patches" ]; do
    case $((trial % 8)) in
      0) pj=delete match=exact kill=no ;;
      1) pj=wal match=window kill=no ;;
      2) pj=delete match=window kill=yes ;;
      3) pj=wal match=exact kill=yes ;;
      4) pj=delete match=window kill=no ;;
      5) pj=wal match=exact kill=no ;;
      6) pj=delete match=exact kill=yes ;;
      7) pj=wal match=window kill=yes ;;
    esac
    set_match "$match"
    pick_rate 20 50 100 200
    [ "$rate" -le "$capacity" ] || rate=$capacity
    how=applied
    if [ "$kill" = yes ]; then
      # Within [0, an undisturbed application], or within its transactions: most of its time
      # goes to loading the rows, which writes nothing to the primary.
      full=1000 tx_start=0
      [ ! -e "$tmp/patch-full-$pj" ] || read -r full tx_start < "$tmp/patch-full-$pj"
      random 2
      if [ "$r" = 0 ]; then
        random $((full + 1))
        delay=$r
      else
        random $((full - tx_start + 1))
        delay=$((tx_start + r))
      fi
      how="killed after $delay ms, applied again"
    fi
    new_run "patch-$pj" \
      "p=$pj s=delete+$(outage $pair) writer=primary@$rate/s $match: $how" "p-$pj" "s-$pair"
    # The operator's copies, the patch and the reference -o, before the service starts.
    if ! sqlite3 p.db '.backup p-snap.db' 2> backup.err ||
      ! sqlite3 s.db '.backup s-snap.db' 2>> backup.err; then
      fail "sqlite3 .backup failed: $(head -c 300 backup.err | tr '\n' ' ')"
    fi
    # shellcheck disable=SC2086 # $window is one option or none
    merge make-patch -n $window --format sql p-snap.db s-snap.db
    mv make-patch.out patch.sql
    exit_ok make-patch
    # shellcheck disable=SC2086
    merge reference $window -o ref.db p-snap.db s-snap.db
    exit_ok reference
    if [ "$failed" = 1 ]; then
      end_run
      trial=$((trial + 1))
      continue
    fi
    last_id=$(sqlite3 p-snap.db 'SELECT max(id) FROM click_events')
    # The rows each transaction adds: a patch cut short has added a multiple of it, or all.
    # The row id alias and the column's name are quoted, and chosen apart from the table's columns.
    patch_transaction_rows=$(sed -n 's|.*" - 1) / \([0-9]*\) AS "[a-z_]*part".*|\1|p' patch.sql)
    if [ -z "$patch_transaction_rows" ]; then
      fail "patch.sql: no \"(\"ROWID\" - 1) / N AS \"part\"\": how many rows a transaction adds?"
      patch_transaction_rows=1
    fi
    patch_rows=$(($(rows ref.db) - $(rows p-snap.db)))
    start_writers primary
    if [ "$kill" = yes ]; then
      sqlite3 -cmd '.timer on' p.db < patch.sql > killed.out 2> killed.err &
      shell=$!
      sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
      kill -KILL "$shell" 2>/dev/null
      wait "$shell" 2>/dev/null
      rc=$? took=$delay
      # It may have ended before the kill; then it must have ended well.
      if [ "$rc" != 137 ] && patch_ok killed; then
        check_patch_says killed "$patch_rows"
      fi
    fi
    # Applied (again) beside the service: twice if it kept the lock through the first.
    attempt=1
    while :; do
      check_whole_transactions
      apply_patch apply
      if patch_ok apply; then
        check_patch_says apply $((patch_rows - already))
        break
      fi
      if [ "$patch_waited" = 0 ] || [ "$attempt" = 2 ]; then
        break
      fi
      mv apply.out "apply-$attempt.out"
      mv apply.err "apply-$attempt.err"
      attempt=$((attempt + 1))
    done
    stop_writers
    timing=$(patch_timing apply)
    if [ -n "$timing" ]; then
      echo "$group ${timing% *}" >> "$tmp/patch-tx"
      [ "$kill:$attempt:$rc" != no:1:0 ] || echo "$took ${timing#* }" > "$tmp/patch-full-$pj"
    fi
    if [ "$patch_waited" = 1 ]; then
      # The service kept the lock each time (an overloaded disk): finish the job now that it is
      # quiet, as an operator would.
      check_whole_transactions
      apply_patch finish
      if patch_ok finish; then
        check_patch_says finish $((patch_rows - already))
      elif [ "$patch_waited" = 1 ]; then
        fail "finish: the database stayed locked with nothing else running"
      fi
    fi
    check_service_clicks_kept p.db
    check_replica_rows p.db ref.db
    check_history p.db
    check_integrity p.db
    left=$(sqlite3 p.db "SELECT group_concat(name, ' ') FROM sqlite_master
      WHERE name LIKE 'heatmap_merge%'")
    [ -z "$left" ] || fail "the patch left tables in p.db: $left"
    # Once more, undisturbed: nothing to add, nothing changed.
    before=$(whole p.db)
    apply_patch again
    if patch_ok again; then
      check_patch_says again 0
    elif [ "$patch_waited" = 1 ]; then
      fail "again: the database stayed locked with nothing else running"
    fi
    [ "$(whole p.db)" = "$before" ] || fail "applying the patch again changed p.db"
    end_run
    trial=$((trial + 1))
  done
}

# ---- truncate: a WAL-mode secondary whose -wal a checkpointer empties again and again
# (PRAGMA wal_checkpoint(TRUNCATE) every 10 ms) while the service clicks on it. A run decodes the
# secondary from its pages when the -wal was empty as its snapshot began; then no checkpoint may
# write the file until it ends, and what it reads must be that snapshot whole: the service's
# first k clicks, none missing between them, nothing torn. Dry runs and -o alternate.
truncate_runs() {
  pair=base
  set_match exact
  decoded=0
  i=0
  while [ "$i" -lt "$repeats" ]; do
    # Slow enough that the -wal is often empty between two clicks.
    pick_rate 2 5 10 20
    how=out
    [ $((i % 2)) = 0 ] || how=dry
    new_run truncate "p=delete s=wal writer=secondary@$rate/s checkpoints=truncate $how #$i" \
      p-delete s-wal
    start_writers secondary
    (while :; do
      sqlite3 s.db 'PRAGMA busy_timeout = 50' 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null 2>&1
      sleep 0.01
    done) &
    checkpointer=$!
    sleep 0.1
    if [ "$how" = dry ]; then
      merge dry -v -n --format json p.db s.db
      exit_ok dry
    else
      rm -f out.db
      merge out -v -o out.db --format json p.db s.db
      if exit_ok out; then
        check_integrity out.db
        check_history out.db
        check_merged out.db "$pair-exact"
        check_secondary_clicks out.db
        check_secondary_prefix out.db
      fi
      [ "$failed" = 0 ] || [ ! -e out.db ] || mv out.db "out-$run_no.db"
    fi
    ! grep -q 's\.db: [0-9]* rows\{0,1\} decoded from its pages' "$how.err" || decoded=$((decoded + 1))
    kill "$checkpointer" 2>/dev/null
    wait "$checkpointer" 2>/dev/null
    end_run
    i=$((i + 1))
  done
  echo "torture: truncate: the secondary was decoded from its pages in $decoded of $repeats runs"
}

for g in $groups; do
  case $g in
    truncate) truncate_runs ;;
    live) live_matrix ;;
    repeat) repeated_runs ;;
    slow-disk) slow_disk_runs ;;
    sigkill) sigkill_trials ;;
    patch) patch_trials ;;
    *) echo "$0: no group $g" >&2 && exit 64 ;;
  esac
  echo "torture: $g done after $((($(now_ms) - started) / 1000)) s"
done

# ---- Summary: per group, runs, failed runs, exits other than 0 or a waited 75 (spurious
# failures), 75s after a real wait, the service's clicks, its refusals (lost clicks), its clicks
# over 1 s (the browser gives up and retries elsewhere) and its worst click (BEGIN to COMMIT).
echo
echo "torture: $mode mode, $events events, seed $first_seed, $((($(now_ms) - started) / 1000)) s"
awk '
  !($1 in runs) { order[++groups] = $1 }
  { runs[$1]++; failed[$1] += $2; bad[$1] += $3; waited[$1] += $4; clicks[$1] += $5
    refused[$1] += $6; slow[$1] += $7; if ($8 > worst[$1]) worst[$1] = $8 }
  END {
    printf "%-12s %5s %7s %9s %9s %8s %8s %8s %9s\n", "group", "runs", "failed", "bad exit",
      "waited 75", "clicks", "refused", "over 1s", "worst ms"
    for (i = 1; i <= groups; i++) {
      g = order[i]
      printf "%-12s %5d %7d %9d %9d %8d %8d %8d %9.1f\n", g, runs[g], failed[g], bad[g],
        waited[g], clicks[g], refused[g], slow[g], worst[g]
    }
  }' "$tmp/results"
if [ -s "$tmp/patch-tx" ]; then
  echo
  echo "the patch's longest transaction (the write lock held, by the sqlite3 shell's .timer):"
  awk '!($1 in worst) { order[++groups] = $1 } $2 >= worst[$1] { worst[$1] = $2 }
    END { for (i = 1; i <= groups; i++) printf "  %-12s %6d ms\n", order[i], worst[order[i]] }' \
    "$tmp/patch-tx"
fi
if [ -s "$tmp/waits" ]; then
  echo
  echo "exits 75 after a real wait of --lock-timeout, patches stopped by \"database is locked\""
  echo "after their 5 s .timeout (allowed; the run was finished after):"
  cat "$tmp/waits"
fi
if [ -s "$tmp/failures" ]; then
  echo
  echo "failures (their directories are kept in $tmp/runs):"
  cat "$tmp/failures"
fi
passed=$(awk '$2 == 0' "$tmp/results" | wc -l)
failures=$(awk '$2 != 0' "$tmp/results" | wc -l)
# The replicas are rebuilt on every run; only a failed run's directories are worth keeping.
[ "$failures" != 0 ] || rm -rf "$tmp/gen" "$tmp/files" "$tmp/runs"
echo
echo "$passed passed, $failures failed"
[ "$failures" = 0 ]
