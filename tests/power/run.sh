#!/bin/sh
# The power-cut crash matrix (issue 29): each scenario runs heatmap-merge once under the
# power_cut recorder (tests/tools/power_cut.cpp), replay.py builds every disk state a power cut
# at each flush, rename, unlink and a few random points could leave, and each state, as after a
# reboot, must hold: inputs byte for byte (but --in-place's primary); no file at the output's
# name unless it is sound and holds the uninterrupted run's rows; a primary that passes its
# integrity check, holds its rows from before and whole transactions of ours (the row counts
# SIGKILL can leave); a sound backup beside a touched primary; once the run has exited 0, its
# result durable; and a rerun (past the stale lock file) exits 0 with the uninterrupted run's rows.
#
#   sh tests/power/run.sh BUILD_DIR [quick|long]
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
if [ "$mode" = long ]; then
  replay_options="--all-points --random 8 --extra 0"
  rows=3000
else
  replay_options="--random 3 --extra 3"
  rows=400
fi
rm -rf "$tmp"
mkdir -p "$tmp"
failures=0

# replicas DIR JOURNAL_MODE: p.db, the primary (rows 1..N but an outage of a tenth), and s.db,
# the secondary (rows 1..N*3/4, the outage's among them).
replicas() {
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
    if ! sound "$work/out.db" || ! rows_of "$work/out.db" | cmp -s - "$scenario_dir/expected"; then
      half=$((half + 1))
      fail "out.db is there but unsound or not the merge's rows"
    fi
  elif echo " $cuts" | grep -q ':final'; then
    lost=$((lost + 1))
    fail "out.db is gone though the run had exited 0"
  fi
}

# check_primary: --in-place's primary (and its backup) in $work; notes its row count.
check_primary() {
  cmp -s "$work/s.db" "$before/s.db" || fail "the input s.db changed"
  touched=no
  cmp -s "$work/p.db" "$before/p.db" || touched=yes
  for companion in "$work/p.db-journal" "$work/p.db-wal"; do
    [ -s "$companion" ] && touched=yes
  done
  if [ $touched = yes ]; then
    backup=$(find "$work" -name 'p.db.backup-*' | head -n 1)
    if [ -z "$backup" ] || ! sound "$backup" ||
      ! rows_of "$backup" | cmp -s - "$scenario_dir/before-rows"; then
      fail "the primary was touched but no sound backup of it is there"
    fi
  fi
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
  fi
  for cut in $cuts; do
    echo "${cut#*:} $held" >> "$scenario_dir/counts"
  done
}

# rerun: the same command in the state's copy exits 0 and gives the uninterrupted run's rows.
rerun() {
  leftovers=$((leftovers + $(find "$work" -name '.*.tmp-*' | wc -l)))
  if ! (cd "$work" && "$hm" "$@" > "$work.out" 2>&1); then
    failed_reruns=$((failed_reruns + 1))
    fail "the rerun failed: $(head -c 300 "$work.out" | tr '\n' ' ')"
    return
  fi
  result=$work/out.db
  [ "$scenario" = "${scenario#inplace}" ] || result=$work/p.db
  rows_of "$result" | cmp -s - "$scenario_dir/expected" ||
    fail "the rerun's rows are not the uninterrupted run's"
}

# run_scenario NAME JOURNAL_MODE ARGS...: the whole matrix for one command.
run_scenario() {
  scenario=$1
  journal=$2
  shift 2
  scenario_dir=$tmp/$scenario
  before=$scenario_dir/before
  mkdir -p "$scenario_dir/d" "$before"
  replicas "$scenario_dir/d" "$journal"
  cp -p "$scenario_dir/d/"* "$before/"
  rows_of "$before/p.db" > "$scenario_dir/before-rows"
  # An ASan build's runtime must come first among the libraries, unless told not to check.
  if ! (cd "$scenario_dir/d" && LD_PRELOAD=$shim POWER_CUT_DIR=. POWER_CUT_LOG=../log \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    "$hm" "$@" > ../run.out 2>&1); then
    echo "FAIL [$scenario]: the recorded run failed: $(cat "$scenario_dir/run.out")" >&2
    failures=$((failures + 1))
    return
  fi
  result=$scenario_dir/d/out.db
  [ "$scenario" = "${scenario#inplace}" ] || result=$scenario_dir/d/p.db
  rows_of "$result" > "$scenario_dir/expected"
  # shellcheck disable=SC2086 # the options are several words
  summary=$(python3 "$here/replay.py" "$before" "$scenario_dir/log" "$scenario_dir/d" \
    "$scenario_dir/states" --seed "$seed" $replay_options) || {
    echo "FAIL [$scenario]: replay.py failed" >&2
    failures=$((failures + 1))
    return
  }
  scenario_failures=0 lost=0 half=0 failed_reruns=0 leftovers=0
  : > "$scenario_dir/counts"
  while IFS='	' read -r state cuts; do
    work=$scenario_dir/work-$state
    cp -rp "$scenario_dir/states/$state" "$work"
    case $scenario in
      inplace*) check_primary ;;
      *) check_output ;;
    esac
    rerun "$@"
    rm -rf "$work" "$work.rows" "$work.out"
  done < "$scenario_dir/states/manifest"
  # Whole transactions: every state's row count is one that SIGKILL can leave ("all" states).
  if [ -s "$scenario_dir/counts" ]; then
    awk '$1 == "all" { ok[$2] = 1 } { n[$2] = 1 }
      END { for (c in n) if (!(c in ok)) { print c; bad = 1 } exit bad }' \
      "$scenario_dir/counts" > "$scenario_dir/torn-counts" ||
      fail "row counts no SIGKILL leaves (half a transaction): $(tr '\n' ' ' < "$scenario_dir/torn-counts")"
  fi
  states=$(wc -l < "$scenario_dir/states/manifest")
  echo "$scenario: $summary; $states states checked: $scenario_failures failures" \
    "($lost with rows or output lost, $half half-written outputs, $failed_reruns failed reruns;" \
    "$leftovers temporary files left)"
}

run_scenario out-exact delete --force -q p.db s.db -o out.db
run_scenario out-window delete --force -q --window 2s p.db s.db -o out.db
run_scenario inplace-journal delete -q --in-place p.db s.db
run_scenario inplace-wal wal -q --in-place p.db s.db
if [ "$failures" -gt 0 ]; then
  echo "power: $failures failures (states kept in $tmp)" >&2
  exit 1
fi
echo "power: no failures"
