#!/usr/bin/env bash
# How heatmap-merge's time (and, with --memory, its peak memory) grows with the data.
#
#   bench/scaling.sh [SMALL LARGE [ROUNDS]]      default: 1000000 4000000 5
#   bench/scaling.sh --memory [EVENTS ...]       default: 1000000 4000000 16000000
#
# SMALL LARGE: SMALL and LARGE events, timed in alternating rounds, so that the machine's drift
# over minutes (which separate run.sh invocations for each size measure apart) hits both sizes
# alike. Issue 5's target: 4M events at most 4.5x 1M.
#
# --memory (issue 15, bounded memory): for each size, in one run, the floor (cp of the primary to
# a temporary file + sync of it + cat of the secondary > /dev/null) and heatmap-merge -o, exact
# and --window 2s, each with two secondaries: secondary.db as generated, whose history lies on
# the same pages as the primary's ("shared": those rows are paired without their keys being
# read), and secondary-wal.db, the same file switched to PRAGMA journal_mode = WAL ("WAL": a WAL
# secondary's pages are never compared, so every row's key is read). Each timed run gets its
# wall time, its CPU time (user + system: less disturbed than wall time by other work on the
# machine) and its peak RSS (GNU time's %M: apt-get install -y time). Prints, per size and
# variant, the median wall and CPU times, the peak RSS (largest of the rounds), the floor's
# median, the ratio to it, the rows written and the rows paired by pages (from -v); then the
# largest size's time over the smallest's per variant (wall, and CPU), and issue 15's targets.
#   HM_ARGS        extra heatmap-merge arguments, split on blanks, for every heatmap-merge run
#                  of the mode: HM_ARGS="--memory-limit 64MiB" bench/scaling.sh --memory
#   MEMORY_ROUNDS  timed rounds of every size (default 3 below 10M events, 1 from 10M up); the
#                  sizes take turns within a round, each size until its rounds are done.
#   PEAK_TARGET_MIB  the peak RSS the table checks against (default 160; 96 when HM_ARGS says
#                  --memory-limit 64MiB). Targets only mark the table; they do not fail the run.
# The WAL copy is cached beside the pair (EVENTS/secondary-wal.db; remade when missing, older
# than secondary.db or not in WAL mode). A 16M pair takes about 8 min to generate (1 core) and
# 5.1 GiB, its WAL copy 2.0 GiB more, and a run needs 3.1 GiB more for the output and as much
# for the floor's copy; all of it is read into the page cache first (about 7.5 GiB at 16M).
# Every merge's rows_out (--format json) and the output's count(*) are checked against the
# generator's figure; a WAL run whose -v says rows were paired by pages is an error too.
#
# Memory: on a virtual machine whose host takes back memory that the guest has left free for 2 s
# (free page reporting, as on the benchmark's machine), writing to memory freed longer ago costs
# several times more than reusing memory just freed (cp of an 820 MB file: 0.18 s within a
# second of deleting the last copy, 0.65 s two seconds after). Which of the two a run meets
# depends on what ran before it, and used to depend on the order of the runs in a round. So by
# default (SCALING_STATE=warm) each timed run follows an untimed run of the same size and
# variant (with --memory: the floor too; the untimed merges run with -q), and every timed run
# meets memory just freed; SCALING_STATE=cold rests 3 s before each run instead, the state a
# nightly run meets.
#
# The pairs come from run.sh's cache (made there if missing, with the same binary rules:
# HEATMAP_MERGE, or build-bench/ rebuilt). Each run's reported rows_out is checked against
# the generator's figure. Prints, for exact and --window 2s, the median time of each size, the
# ratio of the medians and the median of the per-round ratios. Exit 1 on a wrong row count
# (or, with --memory, a failed run), 64 on a usage error, 69 without a needed tool.
set -u

memory_mode() {
  local -a sizes=("$@")
  [ ${#sizes[@]} -gt 0 ] || sizes=(1000000 4000000 16000000)
  local n
  for n in "${sizes[@]}" ${MEMORY_ROUNDS:+"$MEMORY_ROUNDS"}; do
    case $n in '' | *[!0-9]* | 0)
      echo "usage: $0 --memory [EVENTS ...]   (MEMORY_ROUNDS: a positive number)" >&2
      exit 64 ;;
    esac
  done
  local state=${SCALING_STATE:-warm}
  case $state in warm | cold) ;; *) echo "$0: SCALING_STATE is warm or cold" >&2; exit 64 ;; esac
  local here cache_root
  here=$(cd "$(dirname "$0")" && pwd)
  cache_root=${BENCH_CACHE:-${TMPDIR:-/tmp}/heatmap-merge-bench}
  die() { echo "$0: $*" >&2; exit 1; }
  if ! { [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; }; then
    echo "$0: --memory needs GNU time for the peak RSS: apt-get install -y time" >&2
    exit 69
  fi
  command -v sqlite3 >/dev/null 2>&1 || { echo "$0: needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 69; }
  local -a hm_args=()
  read -r -a hm_args <<<"${HM_ARGS:-}"
  local target=${PEAK_TARGET_MIB:-}
  if [ -z "$target" ]; then
    target=160
    case " ${HM_ARGS:-} " in *" --memory-limit 64MiB "* | *" --memory-limit=64MiB "*) target=96 ;; esac
  fi

  # The pairs (and the binary), as run.sh makes them; then each pair's WAL secondary.
  local events
  for events in "${sizes[@]}"; do
    VARIANTS=f "$here/run.sh" "$events" 1 >/dev/null || die "run.sh $events failed"
    "$here/wal-secondary.sh" "$cache_root/$events" || die "cannot make the WAL secondary of $events"
  done
  local bin=${HEATMAP_MERGE:-$here/../build-bench/heatmap-merge} source_rev
  if [ -n "${HEATMAP_MERGE:-}" ]; then
    source_rev="as given by HEATMAP_MERGE"
  else
    source_rev="built from $(git -C "$here/.." describe --always --dirty 2>/dev/null || echo "an unknown revision")"
  fi
  local out=$cache_root/scaling-out.db copy=$cache_root/scaling-floor.db logs=$cache_root/scaling-memory-logs
  trap 'rm -f "$out" "$out-journal" "$out-wal" "$out-shm" "$copy"' EXIT
  trap 'exit 130' INT TERM
  rm -rf "$logs"
  mkdir -p "$logs"

  local -A rounds_of
  local max_rounds=0
  for events in "${sizes[@]}"; do
    if [ -n "${MEMORY_ROUNDS:-}" ]; then
      rounds_of[$events]=$MEMORY_ROUNDS
    elif [ "$events" -ge 10000000 ]; then
      rounds_of[$events]=1
    else
      rounds_of[$events]=3
    fi
    [ "${rounds_of[$events]}" -gt "$max_rounds" ] && max_rounds=${rounds_of[$events]}
  done

  local load_before
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  # Every input in the page cache: the runs read them from memory.
  for events in "${sizes[@]}"; do
    cat "$cache_root/$events"/{primary,secondary,secondary-wal}.db >/dev/null
  done

  local kinds="floor exact-shared exact-wal window-shared window-wal"
  local -A times peaks cpus written paired status
  local failed=0 round kind key sec want t0 t1 rc got count pr kib user sys
  local -a args cmd
  for ((round = 1; round <= max_rounds; round++)); do
    for events in "${sizes[@]}"; do
      [ "$round" -le "${rounds_of[$events]}" ] || continue
      dir=$cache_root/$events
      for kind in $kinds; do
        key=$kind.$events
        [ -n "${status[$key]:-}" ] || status[$key]=ok
        sec=$dir/secondary.db
        case $kind in *-wal) sec=$dir/secondary-wal.db ;; esac
        args=()
        want=$(sed -n 's/^rows_out_exact=//p' "$dir/expected.txt")
        case $kind in window-*)
          args=(--window 2s)
          want=$(sed -n 's/^rows_out_window=//p' "$dir/expected.txt") ;;
        esac
        if [ "$kind" = floor ]; then
          # shellcheck disable=SC2016 # the inner shell expands them
          cmd=(sh -c 'cp "$1" "$2" && sync "$2" && cat "$3" > /dev/null' floor "$dir/primary.db" "$copy" "$sec")
        else
          cmd=("$bin" "${hm_args[@]}" "${args[@]}" -v --format json -o "$out" "$dir/primary.db" "$sec")
        fi
        case $state in
          warm)
            rm -f "$out" "$copy"
            if [ "$kind" = floor ]; then
              "${cmd[@]}"
            else
              "$bin" "${hm_args[@]}" "${args[@]}" -q -o "$out" "$dir/primary.db" "$sec"
            fi >/dev/null 2>&1
            ;;
          cold) sleep 3 ;;
        esac
        rm -f "$out" "$out-journal" "$out-wal" "$out-shm" "$copy"
        t0=$EPOCHREALTIME
        /usr/bin/time -f '%M %U %S' -o "$logs/rss" "${cmd[@]}" >"$logs/stdout" 2>"$logs/$events-$kind-$round.err"
        rc=$?
        t1=$EPOCHREALTIME
        if [ "$rc" -ne 0 ]; then
          echo "FAILED: $kind at $events events (round $round) exited $rc: ${cmd[*]}" >&2
          sed -n '1,20p' "$logs/$events-$kind-$round.err" >&2
          status[$key]=FAILED
          failed=1
          continue
        fi
        times[$key]+="$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.3f", b - a }') "
        read -r kib user sys < <(tail -n 1 "$logs/rss")
        peaks[$key]+="$kib "
        cpus[$key]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
        [ "$kind" = floor ] && continue
        got=$(tr -d ' \n' <"$logs/stdout" | grep -o '"rows_out":[0-9]*' | head -n 1 | cut -d: -f2)
        count=$(sqlite3 "$out" 'SELECT count(*) FROM click_events' 2>&1)
        written[$key]=$count
        if [ "$got" != "$want" ] || [ "$count" != "$want" ]; then
          echo "MISMATCH: $kind at $events events (round $round): rows_out ${got:-none}, count(*) $count, expected $want" >&2
          status[$key]=MISMATCH
          failed=1
        fi
        pr=$(sed -n 's/^heatmap-merge: \([0-9]*\) rows\{0,1\} of .* byte for byte: counted as exact duplicates .*$/\1/p' \
          "$logs/$events-$kind-$round.err" | awk '{ s += $1 } END { print s + 0 }')
        paired[$key]=$pr
        case $kind in *-wal)
          if [ "$pr" != 0 ]; then
            echo "MISMATCH: $kind at $events events (round $round): $pr rows paired by pages, from a WAL secondary" >&2
            status[$key]=MISMATCH
            failed=1
          fi ;;
        esac
      done
      rm -f "$out" "$out-journal" "$out-wal" "$out-shm" "$copy"
      echo "round $round: $events events done" >&2
    done
  done

  median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  minmax() { tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END {
    if (NR == 0) print "-"; else printf "%.2f-%.2f", lo, hi }'; }
  ratio() { awk -v a="${1:--}" -v b="${2:--}" 'BEGIN {
    if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
  label() {
    case $1 in
      floor) echo "floor" ;; exact-shared) echo "exact shared" ;; exact-wal) echo "exact WAL" ;;
      window-shared) echo "window shared" ;; window-wal) echo "window WAL" ;;
    esac
  }
  local -A med peak_mib
  local worst=0 m check
  for events in "${sizes[@]}"; do
    for kind in $kinds; do
      key=$kind.$events
      med[$key]=$(echo "${times[$key]:-}" | median)
      if [ -n "${peaks[$key]:-}" ]; then
        peak_mib[$key]=$(echo "${peaks[$key]}" | tr ' ' '\n' | grep . | sort -n | tail -n 1 |
          awk '{ printf "%.0f", $1 / 1024 }')
        if [ "$kind" != floor ] && [ "${peak_mib[$key]}" -gt "$worst" ]; then worst=${peak_mib[$key]}; fi
      else
        peak_mib[$key]=-
      fi
    done
  done

  echo
  echo "heatmap-merge memory and scaling (bench/scaling.sh --memory), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') cores, memory $state"
  echo "  binary: $bin ($source_rev); HM_ARGS: ${HM_ARGS:-(none)}"
  echo "  load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  printf '%-9s %-14s %6s %8s %11s %7s %9s %8s %8s %10s %11s  %s\n' events variant rounds "wall s" min-max \
    "cpu s" "peak MiB" "floor s" "x floor" "rows out" "paired rows" check
  for events in "${sizes[@]}"; do
    for kind in $kinds; do
      key=$kind.$events
      m=${med[$key]}
      [ "$m" = - ] || m=$(printf '%.3f' "$m")
      check=${status[$key]}
      if [ "$kind" = floor ]; then
        [ "$check" = ok ] && check="(reference: cp + sync + read)"
      elif [ "$check" = ok ] && [ "${peak_mib[$key]}" != - ] && [ "${peak_mib[$key]}" -gt "$target" ]; then
        check="ok; peak over $target MiB"
      fi
      printf '%-9s %-14s %6s %8s %11s %7s %9s %8s %8s %10s %11s  %s\n' "$events" "$(label "$kind")" \
        "${rounds_of[$events]}" "$m" "$(echo "${times[$key]:-}" | minmax)" \
        "$(echo "${cpus[$key]:-}" | median)" "${peak_mib[$key]}" \
        "$(if [ "${med[floor.$events]}" = - ]; then echo -; else printf '%.3f' "${med[floor.$events]}"; fi)" \
        "$(if [ "$kind" = floor ]; then echo -; else ratio "${med[$key]}" "${med[floor.$events]}"; fi)" \
        "${written[$key]:--}" "${paired[$key]:--}" "$check"
    done
  done
  local small=${sizes[0]} large=${sizes[${#sizes[@]} - 1]}
  echo
  if [ "$small" != "$large" ]; then
    printf '  %s/%s time ratio (target <= 17 at 16M/1M):' "$large" "$small"
    for kind in $kinds; do
      printf ' %s %s,' "$(label "$kind")" "$(ratio "${med[$kind.$large]}" "${med[$kind.$small]}")"
    done | sed 's/,$//'
    echo
    printf '  %s/%s CPU time ratio:' "$large" "$small"
    for kind in $kinds; do
      printf ' %s %s,' "$(label "$kind")" \
        "$(ratio "$(echo "${cpus[$kind.$large]:-}" | median)" "$(echo "${cpus[$kind.$small]:-}" | median)")"
    done | sed 's/,$//'
    echo
  fi
  echo "  exact at $large events / floor (target <= 2.5 at 16M): shared $(ratio "${med[exact-shared.$large]}" "${med[floor.$large]}"), WAL $(ratio "${med[exact-wal.$large]}" "${med[floor.$large]}")"
  echo "  largest merge peak: $worst MiB (target <= $target MiB: $(if [ "$worst" -le "$target" ]; then echo met; else echo MISSED; fi))"
  echo "  (timings are only comparable when the load average stays well below the core count;"
  echo "   each run's -v output: $logs)"
  if [ "$failed" != 0 ]; then
    echo
    echo "*** MISMATCH or FAILURE: see the messages above; these figures do not count ***"
    exit 1
  fi
  exit 0
}

if [ "${1:-}" = --memory ]; then
  shift
  memory_mode "$@"
fi

small=${1:-1000000}
large=${2:-4000000}
rounds=${3:-5}
state=${SCALING_STATE:-warm}
case $state in warm | cold) ;; *) echo "$0: SCALING_STATE is warm or cold" >&2; exit 64 ;; esac
for n in "$small" "$large" "$rounds"; do
  case $n in '' | *[!0-9]* | 0) echo "usage: $0 [SMALL LARGE [ROUNDS]]" >&2; exit 64 ;; esac
done
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${BENCH_CACHE:-${TMPDIR:-/tmp}/heatmap-merge-bench}

# run.sh with only the floor variant: it builds the binary and makes (or reuses) the pair.
for events in "$small" "$large"; do
  VARIANTS=f "$here/run.sh" "$events" 1 >/dev/null || { echo "$0: run.sh $events failed" >&2; exit 1; }
done
bin=${HEATMAP_MERGE:-$here/../build-bench/heatmap-merge}
out=$cache_root/scaling-out.db
trap 'rm -f "$out"' EXIT

now() { echo "${EPOCHREALTIME/,/.}"; }
declare -A times
for round in $(seq "$rounds"); do
  for events in "$small" "$large"; do
    dir=$cache_root/$events
    for variant in exact window; do
      args=()
      key=rows_out_exact
      if [ "$variant" = window ]; then
        args=(--window 2s)
        key=rows_out_window
      fi
      # The state the machine's memory is in decides much of a run's time here (see the header):
      # an untimed run of the same size and variant just before each timed one makes it the
      # same for every timed run.
      case $state in
        warm)
          rm -f "$out"
          "$bin" "${args[@]}" -q -o "$out" "$dir/primary.db" "$dir/secondary.db"
          ;;
        cold) sleep 3 ;;
      esac
      rm -f "$out"
      start=$(now)
      rows=$("$bin" "${args[@]}" --format json -o "$out" "$dir/primary.db" "$dir/secondary.db" |
        sed -n 's/.*"rows_out": *\([0-9]*\).*/\1/p' | head -1)
      end=$(now)
      want=$(sed -n "s/^$key=//p" "$dir/expected.txt")
      if [ "$rows" != "$want" ]; then
        echo "MISMATCH: $variant at $events events wrote $rows rows, expected $want" >&2
        exit 1
      fi
      times[$variant.$events]+="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') "
    done
  done
  echo "round $round/$rounds done" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "heatmap-merge scaling, $(date -u '+%Y-%m-%d %H:%M UTC'), $rounds alternating rounds, memory $state, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %12s %12s %14s %20s\n' variant "${small} s" "${large} s" "ratio medians" "median round ratio"
for variant in exact window; do
  read -r -a a <<<"${times[$variant.$small]}"
  read -r -a b <<<"${times[$variant.$large]}"
  ratios=""
  for i in "${!a[@]}"; do
    ratios+="$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f", y / x }') "
  done
  ms=$(echo "${a[*]}" | median)
  ml=$(echo "${b[*]}" | median)
  printf '%-8s %12.3f %12.3f %14.2f %20.2f\n' "$variant" "$ms" "$ml" \
    "$(awk -v x="$ms" -v y="$ml" 'BEGIN { print y / x }')" "$(echo "$ratios" | median)"
done
