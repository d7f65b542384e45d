#!/bin/sh
# The I/O fault matrix (issue 29): one run of each mode under the io_fault shim
# (tests/tools/io_fault.cpp) counts its writes and flushes under the run's directory, then runs in
# which the N-th of them fails with EIO or ENOSPC must each exit 74, say which file and which
# error, and leave nothing lost and nothing half-written at a final name.
#
#   sh tests/power/faults.sh BUILD_DIR [quick|long]
#
# quick: every flush, and per file written its first and last write and any reflink or kernel
# copy; long: every call. Each with EIO and with ENOSPC. The data makes one --in-place
# transaction, so a primary's row count is its count from before or the merge's.
#
# The rule for the exit status (man page, EXIT STATUS: 74 is "a failed read or write, a full disk,
# ... a failed flush to disk"): every failed write or flush of a file the run keeps or renames into
# place, or of its directory, exits 74. A flush of a file counts even when a later one of the same
# descriptor follows: Linux reports a write-back error to one fsync of a descriptor, and the later
# one then succeeds though the data is lost. Exit 0 is allowed only for a fault that cannot have
# lost anything the run keeps, and then the run's result must be the clean run's:
#   - a failed reflink (ioctl FICLONE): the tool then copies every byte itself;
#   - SQLite's fdatasync of the directory after it creates a journal: SQLite ignores its result
#     (os_unix.c, unixSync), so the tool cannot see it; the tool's own directory flushes are fsync;
#   - a -shm file: SQLite's shared memory, never flushed, rebuilt from the -wal after a crash;
#   - in WAL mode, the checkpoint SQLite makes as the primary's last connection closes (from the
#     first flush of the -wal with nothing written to it since the last, the commit's): the rows
#     are in the -wal, flushed at their commit, and SQLite keeps it when the checkpoint fails.
# A fault that is never reached (the run made fewer calls) is a clean run: exit 0, same result.
#
# After each fault: the message starts "heatmap-merge: error:", names the file (or standard
# output) and the error as strerror(3) says it (SQLite's words, "disk I/O error" or "database or
# disk is full", are accepted for what SQLite writes, and counted: it gives no errno's text;
# FAULTS_STRICT=1 refuses them); the inputs are byte for byte as before (but
# --in-place's primary); nothing at the output's name unless sound with the clean run's rows (or
# the older output it replaces, whole, in the --window scenario, while the run fails); no
# temporary file left; the --in-place primary passes its integrity check and holds its rows from
# before and whole transactions of ours; a touched primary has a sound backup of its rows from
# before; an older backup is still there; a patch cut short adds all its rows or none; and a
# rerun without faults exits 0 with the clean run's rows. Exits 1 on a failure.
set -u
build=$(cd "$1" && pwd)
mode=${2:-quick}
here=$(cd "$(dirname "$0")" && pwd)
hm=${HEATMAP_MERGE:-$build/heatmap-merge}
shim=${IO_FAULT:-$build/tests/libio_fault.so}
tmp=${FAULT_TMP:-$build/tests/faults-tmp}
rows=400 # one --in-place transaction: the row counts a SIGKILL leaves are before and after
rm -rf "$tmp"
mkdir -p "$tmp"
failures=0
faults=0

# replicas DIR JOURNAL_MODE (as tests/power/run.sh makes them): p.db, the primary (rows 1..N but
# an outage of a tenth), and s.db, the secondary (rows 1..N*3/4, the outage's among them).
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
  echo "FAIL [$scenario] $fault: $*" >&2
}

# run_in DIR OUT LOG [VAR=VALUE...]: the scenario's command in DIR under the shim, stdout to OUT.
run_in() {
  dir=$1 out=$2 log=$3
  shift 3
  # shellcheck disable=SC2086 # the arguments are several words
  (cd "$dir" && env LD_PRELOAD="$shim" IO_FAULT_DIR=. IO_FAULT_COUNT_LOG="$log" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@" \
    "$hm" $args > "$out" 2> "$dir.err")
}

# apply_patch PATCH PRIMARY: the sqlite3 shell applies it as the man page says; prints the rows.
apply_patch() {
  sqlite3 "$2" < "$1" > /dev/null 2>&1
  rows_of "$2"
}

# result_rows DIR: the rows of the run's result in DIR (a patch: applied to a copy of p.db).
result_rows() {
  case $kind in
    out) rows_of "$1/out.db" ;;
    inplace) rows_of "$1/p.db" ;;
    patch)
      cp "$before/p.db" "$1.applied"
      apply_patch "$1/patch.sql" "$1.applied"
      ;;
  esac
}

# allowed_zero CALL PATH: whether a fault there may leave the run to exit 0 (see the rule above).
allowed_zero() {
  [ "$1" = ioctl-FICLONE ] && return 0
  [ "$1" = fdatasync ] && [ "$2" = "$work" ] && return 0
  case $2 in *-shm) return 0 ;; esac
  in_checkpoint
}

# in_checkpoint: whether the fault hit WAL's checkpoint at close, told from the run's own calls
# (their numbers vary from run to run): from the first flush of the -wal with no write to it since
# the last one, the commit's, the calls on the primary and its -wal.
in_checkpoint() {
  awk -v wal="$work/p.db-wal" -v db="$work/p.db" '
    { fault = $1 == "fault"; if (fault) { $1 = ""; $0 = substr($0, 2) } }
    $4 == wal && $1 == "write" { dirty = 1 }
    $4 == wal && $1 == "flush" { if (!dirty && seen) on = 1; seen = 1; dirty = 0 }
    fault { found = on && ($4 == wal || $4 == db); exit }
    END { exit !found }' "$work.log"
}

# named PATH: what the message must name for a fault on PATH.
named() {
  case $1 in
    "$work") echo "$work" ;;
    */patch.sql) echo "standard output" ;;
    # A private copy of an input (--max-lock-hold): its name is hidden and gone at once.
    */.heatmap-merge-snapshot-*) echo "the private copy of" ;;
    *)
      name=$(basename "${1% (deleted)}")
      name=${name#.}
      name=${name%%.tmp-*}
      name=${name%%.backup-*}
      name=${name%-journal}
      name=${name%-wal}
      echo "${name%-shm}"
      ;;
  esac
}

check_message() {
  grep -q '^heatmap-merge: error:' "$work.err" || fail "no error message: $(head -c 300 "$work.err")"
  grep -qF "$(named "$fault_path")" "$work.err" ||
    fail "the message does not name $(named "$fault_path"): $(tr '\n' ' ' < "$work.err")"
  if grep -qF "$text" "$work.err"; then
    return
  fi
  if [ "${FAULTS_STRICT:-0}" != 1 ] &&
    grep -q '^heatmap-merge: error: I/O error on .*: \(disk I/O error\|database or disk is full\)' \
      "$work.err"; then
    sqlite_worded=$((sqlite_worded + 1))
    return
  fi
  fail "the message does not say '$text': $(tr '\n' ' ' < "$work.err")"
}

# check_state CODE: what the faulty run (exit status CODE) left in $work.
check_state() {
  for input in s.db p.db; do
    [ "$kind" = inplace ] && [ $input = p.db ] && continue
    cmp -s "$work/$input" "$before/$input" || fail "the input $input changed"
  done
  left=$(find "$work" -name '.*.tmp-*' | tr '\n' ' ')
  [ -z "$left" ] || fail "temporary files left: $left"
  case $kind in
    out)
      # the old out.db (--force), whole, while the run has not succeeded; else the new one
      if [ -e "$work/out.db" ] && { [ "$1" -eq 0 ] || ! cmp -s "$work/out.db" "$before/out.db"; } &&
        { ! sound "$work/out.db" || ! rows_of "$work/out.db" | cmp -s - "$scenario_dir/expected"; }; then
        fail "out.db is there (exit $1) but unsound or not the clean run's rows"
      fi
      ;;
    patch)
      cp "$before/p.db" "$work.applied"
      count=$(apply_patch "$work/patch.sql" "$work.applied" | wc -l)
      [ "$count" -eq "$before_count" ] || [ "$count" -eq "$expected_count" ] ||
        fail "the patch left (exit $1) adds $((count - before_count)) rows: not none nor all"
      rm -f "$work.applied"
      ;;
    inplace) check_primary "$1" ;;
  esac
}

check_primary() {
  touched=no
  cmp -s "$work/p.db" "$before/p.db" || touched=yes
  for companion in "$work/p.db-journal" "$work/p.db-wal"; do
    [ -s "$companion" ] && touched=yes
  done
  if [ $touched = yes ]; then
    backup=$(find "$work" -name 'p.db.backup-2*' ! -name "$old_backup" | head -n 1)
    if [ -z "$backup" ] || ! sound "$backup" ||
      ! rows_of "$backup" | cmp -s - "$scenario_dir/before-rows"; then
      fail "the primary was touched but no sound backup of it is there"
    fi
  fi
  if [ -n "$old_backup" ] && [ "$1" -ne 0 ] && [ ! -e "$work/$old_backup" ]; then
    fail "the older backup $old_backup was removed by a failed run"
  fi
  if ! sound "$work/p.db"; then
    fail "the primary fails its integrity check"
    return
  fi
  count=$(rows_of "$work/p.db" | tee "$work.rows" | wc -l)
  if ! head -n "$count" "$scenario_dir/expected" | cmp -s - "$work.rows" ||
    { [ "$count" -ne "$before_count" ] && [ "$count" -ne "$expected_count" ]; }; then
    fail "the primary's $count rows are not its $before_count from before, nor the merge's $expected_count"
  fi
  if [ "$1" -eq 0 ] && [ "$count" -ne "$expected_count" ]; then
    fail "exit 0 but the primary holds $count rows, not the merge's $expected_count"
  fi
  rm -f "$work.rows"
}

# rerun: the same command without faults exits 0 and gives the clean run's rows.
rerun() {
  rm -f "$work/patch.sql"
  if ! run_in "$work" "$work/${stdout_name}" /dev/null; then
    fail "the rerun failed: $(head -c 300 "$work.err" | tr '\n' ' ')"
    return
  fi
  if [ "$kind" = patch ]; then
    # the rerun's patch goes to the primary the faulty run's patch was not applied to
    cp "$before/p.db" "$work.applied"
    apply_patch "$work/patch.sql" "$work.applied" | cmp -s - "$scenario_dir/expected" ||
      fail "the rerun's patch does not give the clean run's rows"
  else
    result_rows "$work" | cmp -s - "$scenario_dir/expected" ||
      fail "the rerun's rows are not the clean run's"
  fi
  if [ -n "$old_backup" ] && [ -e "$work/$old_backup" ]; then
    fail "the rerun (--keep-backups 1) kept the older backup $old_backup"
  fi
}

# inject CALL N ERRNO: one faulty run and its checks.
inject() {
  faults=$((faults + 1))
  fault="$1 $2 $3"
  work=$scenario_dir/w
  rm -rf "$work" "$work.applied"
  cp -rp "$scenario_dir/clean" "$work"
  : > "$work.log"
  run_in "$work" "$work/$stdout_name" "$work.log" IO_FAULT_CALL="$1" IO_FAULT_AT="$2" \
    IO_FAULT_ERRNO="$3"
  code=$?
  fault_line=$(grep '^fault ' "$work.log")
  if [ -z "$fault_line" ]; then
    fault="$fault (not reached)"
    [ $code -eq 0 ] || fail "exit $code though no fault was reached: $(head -c 300 "$work.err")"
  else
    fault_call=$(echo "$fault_line" | cut -d' ' -f4)
    fault_path=$(echo "$fault_line" | cut -d' ' -f5- | sed 's/ [A-Z]*$//')
    fault="$fault ($fault_call $(echo "$fault_path" | sed "s|^$work|.|"))"
    text="Input/output error"
    [ "$3" = ENOSPC ] && text="No space left on device"
    if [ $code -eq 0 ] && allowed_zero "$fault_call" "$fault_path"; then
      survived=$((survived + 1))
      echo "  [$scenario] exit 0, allowed: $fault"
    elif [ $code -ne 74 ]; then
      fail "exit $code, not 74: $(head -c 300 "$work.err" | tr '\n' ' ')"
    else
      check_message
    fi
  fi
  check_state $code
  rerun
}

# scenario NAME KIND JOURNAL_MODE ARGS: KIND out (-o out.db), inplace or patch (stdout to
# patch.sql); the clean run, then the faults.
scenario() {
  scenario=$1 kind=$2 journal=$3 args=$4
  scenario_dir=$tmp/$scenario
  before=$scenario_dir/before
  fault=clean
  scenario_failures=0 survived=0 sqlite_worded=0
  old_backup=
  mkdir -p "$scenario_dir/clean"
  replicas "$scenario_dir/clean" "$journal"
  stdout_name=../report.out
  [ "$kind" = patch ] && stdout_name=patch.sql
  case $args in
    *--window*)
      # an older output for --force to replace: it stays whole until the new one is renamed over it
      cp "$scenario_dir/clean/s.db" "$scenario_dir/clean/out.db"
      ;;
    *--keep-backups*)
      # an older backup, of an older primary, for --keep-backups to prune once the run succeeds
      old_backup=p.db.backup-20200101T000000Z
      sqlite3 "$scenario_dir/clean/p.db" ".backup $scenario_dir/clean/$old_backup"
      sqlite3 "$scenario_dir/clean/$old_backup" "DELETE FROM click_events WHERE id > 100"
      ;;
  esac
  cp -rp "$scenario_dir/clean" "$before"
  rows_of "$before/p.db" > "$scenario_dir/before-rows"
  before_count=$(wc -l < "$scenario_dir/before-rows")
  work=$scenario_dir/w
  cp -rp "$scenario_dir/clean" "$work"
  if ! run_in "$work" "$work/$stdout_name" "$scenario_dir/calls"; then
    echo "FAIL [$scenario]: the clean run failed: $(cat "$work.err")" >&2
    failures=$((failures + 1))
    return
  fi
  result_rows "$work" > "$scenario_dir/expected"
  expected_count=$(wc -l < "$scenario_dir/expected")
  if [ "$expected_count" -le "$before_count" ]; then
    echo "FAIL [$scenario]: the clean run added nothing" >&2
    failures=$((failures + 1))
    return
  fi
  writes=$(grep -c '^write ' "$scenario_dir/calls")
  flushes=$(grep -c '^flush ' "$scenario_dir/calls")
  if [ "$mode" = long ]; then
    points=$(awk '{ print $1, $2 }' "$scenario_dir/calls")
  else
    # every flush; the first and the last write of each file, and every reflink or kernel copy
    points=$(awk '$1 == "flush" { print $1, $2; next }
      { file = $4; sub(/\.tmp-.*/, "", file) }
      !(file in first) || $3 ~ /FICLONE|copy_file_range/ { first[file] = 1; print $1, $2 }
      { last[file] = $2 }
      END { for (f in last) print "write", last[f] }' "$scenario_dir/calls" | sort -u)
  fi
  for point in $(echo "$points" | tr ' ' ':'); do
    inject "${point%:*}" "${point#*:}" EIO
    inject "${point%:*}" "${point#*:}" ENOSPC
  done
  echo "$scenario: $writes writes and $flushes flushes in a clean run;" \
    "$(echo "$points" | wc -l) points faulted; $survived faults survived (allowed);" \
    "$sqlite_worded messages in SQLite's words; $scenario_failures failures"
}

scenario out-exact out delete "--force p.db s.db -o out.db"
scenario out-window out delete "--force --window 2s p.db s.db -o out.db"
scenario inplace-journal inplace delete "--in-place p.db s.db"
scenario inplace-wal inplace wal "--in-place p.db s.db"
scenario inplace-keep inplace delete "--in-place --keep-backups 1 p.db s.db"
scenario patch patch delete "-n --format sql p.db s.db"
if [ "$failures" -gt 0 ]; then
  echo "faults: $failures failures in $faults faulty runs (kept in $tmp)" >&2
  exit 1
fi
echo "faults: $faults faulty runs, no failures"
