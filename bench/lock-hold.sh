#!/usr/bin/env bash
# Issue 31, item 6: how long heatmap-merge keeps the service's writers waiting, beside the torture
# suite's writer (tests/tools/live_writer: one click a transaction, Python's 5 s busy timeout).
#
#   bench/lock-hold.sh PAIR_DIR WORK_DIR BINARY [BINARY ...]
#
# PAIR_DIR holds a pair from bench/generate.sh. For each journal mode (rollback as generated,
# then both files switched to WAL), WORK_DIR gets a copy of the pair; then, for each BINARY, each
# of -n, -o and --in-place runs (default options, the --window 2s of run.sh) while a writer clicks
# on each file at RATE clicks/s (default 20), from 0.5 s before the run to 0.5 s after it.
# --in-place merges into a fresh copy of the primary. Prints one line a run: mode, binary, exit
# status, wall seconds, then per writer clicks, refused (lost) clicks, clicks over 1 s and the
# worst click's ms. VERBOSITY=-v runs with -v instead of -q (the run's stderr is then shown when
# it mentions copies). HM_ARGS adds arguments to every run; JOURNALS="rollback" (or "wal") runs one
# mode only. Every copy is synced before the writers start: a copy's dirty pages otherwise stall
# the writers' own fsyncs for a second or more, which no lock of ours causes. Needs as much free
# space as 3x the pair.
set -u
[ $# -ge 3 ] || {
  echo "usage: $0 PAIR_DIR WORK_DIR BINARY [BINARY ...]" >&2
  exit 64
}
pair=$1
work=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
writer=${LIVE_WRITER:-$here/../build/tests/live_writer}
rate=${RATE:-20}
mkdir -p "$work"

now_ms() { date +%s%3N; }

# run_beside PRIMARY SECONDARY BINARY ARGS...: one run between two writers, and its line.
run_beside() {
  local primary=$1 secondary=$2 binary=$3
  shift 3
  rm -f "$work"/ids-p "$work"/ids-s
  "$writer" --rate "$rate" --ids "$work/ids-p" "$primary" 900 /live-p > "$work/writer-p.out" 2>&1 &
  local wp=$!
  "$writer" --rate "$rate" --ids "$work/ids-s" "$secondary" 900 /live-s > "$work/writer-s.out" 2>&1 &
  local ws=$!
  sleep 0.5
  local start status
  start=$(now_ms)
  # shellcheck disable=SC2086 # HM_ARGS is a list of arguments
  "$binary" "${VERBOSITY:--q}" --window 2s ${HM_ARGS:-} "$@" "$primary" "$secondary" > /dev/null 2> "$work/run.err"
  status=$?
  local wall=$(($(now_ms) - start))
  sleep 0.5
  kill -TERM "$wp" "$ws"
  wait "$wp" "$ws"
  local stats
  stats=$(for side in p s; do
    sed -n 's/^live_writer inserted=\([0-9]*\) refused=\([0-9]*\) slow=\([0-9]*\) worst_ms=\([0-9.]*\) .*/'"$side"': clicks \1 refused \2 over_1s \3 worst_ms \4/p' \
      "$work/writer-$side.out"
  done | tr '\n' ' ')
  printf '%s exit %s wall_s %d.%03d %s\n' "$mode_name" "$status" $((wall / 1000)) $((wall % 1000)) "$stats"
  [ "$status" = 0 ] || sed 's/^/    /' "$work/run.err" | cut -c1-400
  grep -E 'copied|copy should' "$work/run.err" | sed 's/^/    /' | cut -c1-400
}

for journal in ${JOURNALS:-rollback wal}; do
  echo "== $journal journal ($(uptime | sed 's/.*load/load/'))"
  rm -f "$work"/p.db* "$work"/s.db*
  cp "$pair/primary.db" "$work/p.db"
  cp "$pair/secondary.db" "$work/s.db"
  if [ "$journal" = wal ]; then
    sqlite3 "$work/p.db" 'PRAGMA journal_mode = WAL' > /dev/null
    sqlite3 "$work/s.db" 'PRAGMA journal_mode = WAL' > /dev/null
  fi
  cat "$work/p.db" "$work/s.db" > /dev/null # in the page cache, as a live service's files are
  sync
  for binary in "$@"; do
    echo "-- $binary"
    mode_name=dry-run run_beside "$work/p.db" "$work/s.db" "$binary" -n
    rm -f "$work/out.db"
    sync
    mode_name=output run_beside "$work/p.db" "$work/s.db" "$binary" -o "$work/out.db"
    rm -f "$work/out.db"
    rm -f "$work"/pi.db*
    cp "$work/p.db" "$work/pi.db"
    [ "$journal" = rollback ] || sqlite3 "$work/pi.db" 'PRAGMA journal_mode = WAL' > /dev/null
    sync
    mode_name=in-place run_beside "$work/pi.db" "$work/s.db" "$binary" --in-place \
      --backup-dir "$work"
    rm -f "$work"/pi.db "$work"/pi.db-* "$work"/pi.db.backup-*
  done
done
