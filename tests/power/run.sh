#!/bin/sh
# The power-cut crash matrix (issue 29): each scenario runs heatmap-merge once under the
# power_cut recorder (tests/tools/power_cut.cpp), replay.py builds every disk state a power cut
# at each flush, rename, unlink and a few random points could leave, and each state, as after a
# reboot, must hold: inputs byte for byte (but --in-place's primary); no file at the output's
# name unless it is sound and holds the uninterrupted run's rows; a primary that passes its
# integrity check, holds its rows from before and whole transactions of ours (the row counts
# SIGKILL can leave); a sound backup beside a touched primary; once the run has exited 0, its
# result durable; and a rerun (past the stale lock file) exits 0 with the uninterrupted run's rows.
# Besides: -o --force over an earlier output and its hot journal (the old output, none or the
# merge in every state); --keep-backups pruning an older backup (one sound backup of the primary
# from before the run whenever it is touched, never none); runs of several transactions (a slow
# flush: every state holds the first k of them); and a SQL patch applied by sqlite3 (whole
# 10,000-row transactions; applying it again gives the uninterrupted application's rows).
#
#   sh tests/power/run.sh BUILD_DIR [quick|long]
#   POWER_ONLY="inplace-prune patch" sh tests/power/run.sh BUILD_DIR
#
# Prints per scenario the cut points, the distinct states and what failed; exits 1 on a failure.
set -u
build=$(cd "$1" && pwd)
mode=${2:-quick}
here=$(cd "$(dirname "$0")" && pwd)
hm=${HEATMAP_MERGE:-$build/heatmap-merge}
shim=${POWER_CUT:-$build/tests/libpower_cut.so}
tmp=${POWER_TMP:-$build/tests/power-tmp}
seed=${POWER_SEED:-29}
only=${POWER_ONLY:-} # the scenarios to run, when not all: names separated by spaces
slow=${SLOW_FSYNC:-$build/tests/libslow_fsync.so}
if [ "$mode" = long ]; then
  replay_options="--all-points --random 8 --extra 0"
  rows=3000
  many=40000 # the sparse layout's secondary: rows for several transactions
  patch_rows=30000 # the patch's: three of its transactions
else
  replay_options="--random 3 --extra 3"
  rows=400
  many=24000
  patch_rows=12000 # two
fi
rm -rf "$tmp"
mkdir -p "$tmp"
failures=0

# replicas DIR JOURNAL_MODE: p.db, the primary (rows 1..N but an outage of a tenth), and s.db,
# the secondary (rows 1..N*3/4, the outage's among them); with layout=sparse, the primary holds a
# hundredth of rows 1..$sparse and the secondary all of them, to add enough for several
# transactions.
replicas() {
  if [ "$layout" = sparse ]; then
    sparse_replicas "$@"
    return
  fi
  insert="INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height, scroll_y,
    user_agent, created_at) SELECT '/page/' || (i % 7), i * 0.5, i * 0.25, 1280, 800, i, 'ua',
    strftime('%Y-%m-%d %H:%M:%f', '2024-01-01', '+' || (i * 10) || ' seconds') FROM n"
  count="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)"
  sqlite3 "$1/p.db" "PRAGMA journal_mode = $2;" > /dev/null
  sqlite3 "$1/p.db" < "$here/../../testdata/schema.sql"
  sqlite3 "$1/p.db" "$count $insert WHERE i % 10 <> 3 OR i > $rows / 2;"
  sqlite3 "$1/s.db" < "$here/../../testdata/schema.sql"
  sqlite3 "$1/s.db" "$count $insert WHERE i <= $rows * 3 / 4;"
}

sparse_replicas() {
  insert="INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height, scroll_y,
    user_agent, created_at) SELECT '/page/' || (i % 7), i * 0.5, i * 0.25, 1280, 800, i, 'ua',
    strftime('%Y-%m-%d %H:%M:%f', '2024-01-01', '+' || (i * 10) || ' seconds') FROM n"
  count="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $sparse)"
  sqlite3 "$1/p.db" "PRAGMA journal_mode = $2;" > /dev/null
  sqlite3 "$1/p.db" < "$here/../../testdata/schema.sql"
  sqlite3 "$1/p.db" "$count $insert WHERE i % 100 = 0;"
  sqlite3 "$1/s.db" < "$here/../../testdata/schema.sql"
  sqlite3 "$1/s.db" "$count $insert;"
}

# old_backup DIR: a backup of the primary from an earlier run (fewer rows), for --keep-backups 1
# to prune once the run has written its own, and the lock file that run left.
old_backup() {
  : > "$1/.p.db.lock"
  sqlite3 "$1/p.db" ".backup '$1/p.db.backup-20200101T000000Z'"
  sqlite3 "$1/p.db.backup-20200101T000000Z" "DELETE FROM click_events WHERE id > 100;"
}

# old_output DIR: an earlier output at out.db, with the hot journal of a writer killed mid-
# transaction (which --force removes before its rename: applied to the new output, it would
# damage it); old-rows, its rows once the journal is rolled back.
old_output() {
  cp "$1/p.db" "$1/out.db"
  sqlite3 "$1/out.db" "DELETE FROM click_events WHERE id > 100;"
  python3 - "$1/out.db" << 'EOF'
import os, sqlite3, sys
database = sqlite3.connect(sys.argv[1], isolation_level=None)
database.execute("PRAGMA cache_size = 1")  # so that the update spills: the journal is hot
database.execute("BEGIN")
database.execute("UPDATE click_events SET user_agent = hex(randomblob(40))")
os._exit(0)
EOF
  mkdir "$scenario_dir/old"
  cp "$1/out.db" "$1/out.db-journal" "$scenario_dir/old/"
  rows_of "$scenario_dir/old/out.db" > "$scenario_dir/old-rows"
}

# make_patch DIR: the SQL patch of p.db and s.db, made outside the recorder.
make_patch() {
  (cd "$1" && "$hm" -n --format sql p.db s.db > patch.sql 2> ../patch.err)
}

rows_of() {
  sqlite3 "$1" "SELECT * FROM click_events ORDER BY id" 2> /dev/null
}

sound() {
  [ "$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)" = ok ]
}

fail() {
  failures=$((failures + 1))
  scenario_failures=$((scenario_failures + 1))
  echo "FAIL [$scenario] state $state ($cuts): $*" >&2
}

# check_output: -o's output, in the state's copy $work.
check_output() {
  for input in p.db s.db; do
    cmp -s "$work/$input" "$before/$input" || fail "the input $input changed"
  done
  if [ -e "$work/out.db" ]; then
    if ! sound "$work/out.db"; then
      half=$((half + 1))
      fail "out.db is there but unsound"
    elif ! rows_of "$work/out.db" | cmp -s - "$scenario_dir/expected" &&
      ! { [ -e "$scenario_dir/old-rows" ] && rows_of "$work/out.db" | cmp -s - "$scenario_dir/old-rows"; }; then
      half=$((half + 1))
      fail "out.db is there but holds neither the merge's rows nor the old output's"
    fi
  elif echo " $cuts" | grep -q ':final'; then
    lost=$((lost + 1))
    fail "out.db is gone though the run had exited 0"
  fi
}

# check_backups: a touched primary has a sound backup of it as it was before the run; where
# there was a backup before, every state has one.
check_backups() {
  found=no
  for backup in "$work"/p.db.backup-*; do
    [ -f "$backup" ] || continue
    if sound "$backup" && rows_of "$backup" | cmp -s - "$scenario_dir/before-rows"; then
      found=yes
    fi
    sound "$backup" && [ $found = no ] && found=older
  done
  if [ $touched = yes ] && [ $found != yes ]; then
    fail "the primary was touched but no sound backup of it is there"
  elif [ -n "$(find "$before" -name 'p.db.backup-*')" ] && [ $found = no ]; then
    fail "no sound backup is left, where there was one before the run"
  fi
}

# check_primary: --in-place's primary (and its backup) in $work, or the patch's; notes its row
# count.
check_primary() {
  cmp -s "$work/s.db" "$before/s.db" || fail "the input s.db changed"
  touched=no
  cmp -s "$work/p.db" "$before/p.db" || touched=yes
  for companion in "$work/p.db-journal" "$work/p.db-wal"; do
    [ -s "$companion" ] && touched=yes
  done
  [ "$scenario" = "${scenario#patch}" ] && check_backups
  [ "$scenario" = "${scenario#patch}" ] || cmp -s "$work/patch.sql" "$before/patch.sql" ||
    fail "the patch changed"
  if ! sound "$work/p.db"; then
    fail "the primary fails its integrity check"
    return
  fi
  rows_of "$work/p.db" > "$work.rows"
  held=$(wc -l < "$work.rows")
  if ! head -n "$held" "$scenario_dir/expected" | cmp -s - "$work.rows" ||
    [ "$held" -lt "$(wc -l < "$scenario_dir/before-rows")" ]; then
    lost=$((lost + 1))
    fail "the primary's $held rows are not its rows from before and a prefix of the merge's"
  elif echo " $cuts" | grep -q ':final' && [ "$held" -ne "$(wc -l < "$scenario_dir/expected")" ]; then
    lost=$((lost + 1))
    fail "the primary holds $held rows, not the merge's $(wc -l < "$scenario_dir/expected"), though the run had exited 0"
  elif [ "$scenario" != "${scenario#patch}" ] &&
    [ $(((held - $(wc -l < "$scenario_dir/before-rows")) % 10000)) -ne 0 ] &&
    [ "$held" -ne "$(wc -l < "$scenario_dir/expected")" ]; then
    fail "the primary holds $held rows: not its rows from before and whole 10000-row transactions"
  fi
  for cut in $cuts; do
    echo "${cut#*:} $held" >> "$scenario_dir/counts"
  done
}

# rerun: the same command in the state's copy exits 0 and gives the uninterrupted run's rows; a
# lock file left there by the run cut short (flock's lock died with it) keeps nothing out.
rerun() {
  leftovers=$((leftovers + $(find "$work" -name '.*.tmp-*' | wc -l)))
  lock=$(find "$work" -name '.*.lock' | head -n 1)
  [ -z "$lock" ] || locks=$((locks + 1))
  (cd "$work" && "$@" > "$work.out" 2>&1)
  status=$?
  if [ $status -ne 0 ]; then
    failed_reruns=$((failed_reruns + 1))
    [ $status -ne 75 ] || [ -z "$lock" ] || fail "the lock file ${lock##*/} kept the rerun out"
    fail "the rerun failed ($status): $(head -c 300 "$work.out" | tr '\n' ' ')"
    return
  fi
  rows_of "$work/$target" | cmp -s - "$scenario_dir/expected" ||
    fail "the rerun's rows are not the uninterrupted run's"
}

# run_scenario NAME JOURNAL_MODE COMMAND...: the whole matrix for one command, with the settings
# below (reset after each): the replicas' layout, a step run on the directory before the copy
# "before", the file the command writes, libraries preloaded after the recorder, and the least
# number of transactions the run must commit (read from its --format json report); light=yes
# builds fewer random states per cut point in quick mode, for a run of many cut points; big=yes
# fewer in long mode, where every cut point of a large file would fill the disk; slow_ms
# is the flush's delay when preload has tests/tools/slow_fsync.cpp.
layout=gap sparse=$many setup=: target=out.db preload='' least_transactions=0 light=no big=no slow_ms=0
run_scenario() {
  if [ -n "$only" ] && ! echo " $only " | grep -q " $1 "; then
    layout=gap sparse=$many setup=: target=out.db preload='' least_transactions=0 light=no big=no slow_ms=0
    return
  fi
  scenario=$1
  journal=$2
  shift 2
  scenario_dir=$tmp/$scenario
  tries=1
  # The inserts' pace sets how many transactions a run makes: on a fast machine, twice the rows.
  while record_run "$@" && [ "${transactions:-0}" -lt "$least_transactions" ] && [ $tries -lt 3 ]; do
    tries=$((tries + 1))
    sparse=$((sparse * 2))
  done
  [ -s "$scenario_dir/expected" ] && check_states "$@"
  layout=gap sparse=$many setup=: target=out.db preload='' least_transactions=0 light=no big=no slow_ms=0
}

# record_run COMMAND...: the replicas and the recorded run, in $scenario_dir (made anew).
record_run() {
  rm -rf "$scenario_dir"
  before=$scenario_dir/before
  mkdir -p "$scenario_dir/d" "$before"
  replicas "$scenario_dir/d" "$journal"
  $setup "$scenario_dir/d"
  cp -pR "$scenario_dir/d/." "$before/"
  # Read from a copy: opening "before" read-write would change it (a WAL file of a reader that
  # could not remove it, as a dry run leaves, goes at the close), and the states are built on it.
  cp -pR "$before" "$scenario_dir/peek"
  rows_of "$scenario_dir/peek/p.db" > "$scenario_dir/before-rows"
  rm -rf "$scenario_dir/peek"
  # An ASan build's runtime must come first among the libraries, unless told not to check.
  if ! (cd "$scenario_dir/d" && LD_PRELOAD="$shim${preload:+ $preload}" POWER_CUT_DIR=. \
    SLOW_FSYNC_MS=$slow_ms \
    POWER_CUT_LOG=../log ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    "$@" > ../run.out 2>&1); then
    echo "FAIL [$scenario]: the recorded run failed: $(cat "$scenario_dir/run.out")" >&2
    failures=$((failures + 1))
    return 1
  fi
  rows_of "$scenario_dir/d/$target" > "$scenario_dir/expected"
  transactions=$(sed -n 's/.*"transactions": \([0-9]*\).*/\1/p' "$scenario_dir/run.out")
}

# check_states COMMAND...: every state of the recorded run checked, and the figures printed.
check_states() {
  options=$replay_options
  [ "$light" = no ] || [ "$mode" = long ] || options="--random 1 --extra 0"
  # A big scenario's states are large files of many cut points, all on disk at once: long mode
  # with every point and eight random states each would take tens of GB.
  [ "$big" = no ] || [ "$mode" = quick ] || options="--random 3 --extra 0"
  # shellcheck disable=SC2086 # the options are several words
  summary=$(python3 "$here/replay.py" "$before" "$scenario_dir/log" "$scenario_dir/d" \
    "$scenario_dir/states" --seed "$seed" $options) || {
    echo "FAIL [$scenario]: replay.py failed" >&2
    failures=$((failures + 1))
    return
  }
  scenario_failures=0 lost=0 half=0 failed_reruns=0 leftovers=0 locks=0
  : > "$scenario_dir/counts"
  while IFS='	' read -r state cuts; do
    work=$scenario_dir/work-$state
    cp -rp "$scenario_dir/states/$state" "$work"
    case $target in
      p.db) check_primary ;;
      *) check_output ;;
    esac
    rerun "$@"
    rm -rf "$work" "$work.rows" "$work.out"
  done < "$scenario_dir/states/manifest"
  state=all cuts=-
  # Whole transactions: every state's row count is one that SIGKILL can leave ("all" states).
  if [ -s "$scenario_dir/counts" ]; then
    awk '$1 == "all" { ok[$2] = 1 } { n[$2] = 1 }
      END { for (c in n) if (!(c in ok)) { print c; bad = 1 } exit bad }' \
      "$scenario_dir/counts" > "$scenario_dir/torn-counts" ||
      fail "row counts no SIGKILL leaves (half a transaction): $(tr '\n' ' ' < "$scenario_dir/torn-counts")"
  fi
  # Several transactions: the "all" states' counts are exactly the rows from before and those
  # after each commit, every one of them reached (a cut point follows each commit).
  extra=
  if [ "$least_transactions" -gt 0 ]; then
    counts=$(awk '$1 == "all" { print $2 }' "$scenario_dir/counts" | sort -nu | wc -l)
    extra=", ${transactions:-no} transactions ($(($(wc -l < "$scenario_dir/expected") - $(wc -l < "$scenario_dir/before-rows"))) rows), $((counts - 1)) commits seen"
    if [ "${transactions:-0}" -lt "$least_transactions" ]; then
      fail "the run committed ${transactions:-no} transactions, fewer than $least_transactions"
    elif [ "$counts" -ne $((transactions + 1)) ]; then
      fail "$counts row counts for $transactions transactions"
    fi
  fi
  states=$(wc -l < "$scenario_dir/states/manifest")
  echo "$scenario: $summary$extra; $states states checked: $scenario_failures failures" \
    "($lost with rows or output lost, $half half-written outputs, $failed_reruns failed reruns;" \
    "$leftovers temporary files left, $locks lock files)"
}

run_scenario out-exact delete "$hm" --force -q p.db s.db -o out.db
run_scenario out-window delete "$hm" --force -q --window 2s p.db s.db -o out.db
# --force over an earlier output with a hot journal: out.db is the old one (rolled back), none, or
# the merge, never the merge with the old journal applied.
setup=old_output
run_scenario out-replace delete "$hm" --force -q p.db s.db -o out.db
target=p.db
run_scenario inplace-journal delete "$hm" -q --in-place p.db s.db
target=p.db
run_scenario inplace-wal wal "$hm" -q --in-place p.db s.db
# --keep-backups 1 with an older backup there: the run writes its own and removes the older.
target=p.db setup=old_backup
run_scenario inplace-prune delete "$hm" -q --in-place --keep-backups 1 p.db s.db
# A slow flush makes the pacer's transactions short (after the first): several of them, in the
# report. A WAL commit flushes once, a rollback-journal one four times.
target=p.db layout=sparse preload=$slow slow_ms=200 least_transactions=3 light=yes big=yes
run_scenario inplace-transactions delete "$hm" --in-place --format json p.db s.db
target=p.db layout=sparse preload=$slow slow_ms=800 least_transactions=3 light=yes big=yes
run_scenario inplace-wal-transactions wal "$hm" --in-place --format json p.db s.db
# The SQL patch, made beforehand, applied by the sqlite3 shell (which links SQLite dynamically:
# the recorder sees its calls).
target=p.db layout=sparse sparse=$patch_rows setup=make_patch big=yes
run_scenario patch delete sh -c 'sqlite3 p.db < patch.sql'
target=p.db layout=sparse sparse=$patch_rows setup=make_patch big=yes
run_scenario patch-wal wal sh -c 'sqlite3 p.db < patch.sql'
if [ "$failures" -gt 0 ]; then
  echo "power: $failures failures (states kept in $tmp)" >&2
  exit 1
fi
echo "power: no failures"
