#!/usr/bin/env bash
# Issue 27 (a redesign with behaviour unchanged): every report and output of one binary, written
# to a directory, so that two binaries' directories can be compared byte for byte with diff -r.
#
#   bench/outputs.sh BINARY OUT_DIR [PAIR_DIR ...]
#
# The sample replicas (testdata/make-fixtures.sh: the outage pair, its WAL secondary, the day with
# three outages) and each PAIR_DIR of bench/generate.sh (primary.db, secondary.db) are merged in
# every report format (dry run), with -o (the output's `.dump` and its bytes' sha256), with
# --in-place into a copy of the primary, and with the SQL patch applied by sqlite3. Each command's
# stdout, stderr and exit status are kept. What changes from run to run is masked: elapsed times,
# the snapshot's time, the scratch directory's name. Then:
#   bench/outputs.sh OLD_BIN /tmp/out-old /tmp/heatmap-merge-bench/1000000
#   bench/outputs.sh NEW_BIN /tmp/out-new /tmp/heatmap-merge-bench/1000000
#   diff -r /tmp/out-old /tmp/out-new && echo identical
set -u
[ $# -ge 2 ] || {
  echo "usage: $0 BINARY OUT_DIR [PAIR_DIR ...]" >&2
  exit 64
}
bin=$(realpath "$1")
out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/hm-outputs.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out"

# mask FILE: the parts of a report that differ between two runs of the same binary.
mask() {
  sed -E -e "s#$work#WORK#g" \
    -e 's/(time: )[0-9.]+ (s|ms)/\1T/' \
    -e 's/("[a-z_]*(seconds|_ms)": )[0-9.e+-]+/\1T/' \
    -e 's/(\.bak|backup)[-.0-9TZ]+/\1STAMP/g' \
    -e 's/[0-9]+(\.[0-9]+)? ?(ms|s|us|µs) (under|in)/T \3/g' \
    -e 's/ in [0-9]+(\.[0-9]+)?s( \(dry run\))?$/ in T\2/' \
    -e 's/took [0-9.]+(ms|s|us|µs)/took T/g' \
    -e 's/Took [0-9.]+ s/Took T/g' \
    -e 's/(snapshot[^0-9]*)[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+Z?/\1SNAPSHOT/g' \
    -e 's/(generated|made) (at |on )?[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+( UTC|Z)?/\1 NOW/g' \
    "$1"
}

# run NAME ARGS...: one command of the binary, its stdout, stderr and status kept as NAME.*.
run() {
  local name=$1
  shift
  (cd "$work" && "$bin" "$@" > "$work/stdout" 2> "$work/stderr")
  echo $? > "$out/$name.status"
  mask "$work/stdout" > "$out/$name.stdout"
  # -v's notes come from the read phase's threads, in the order they finish: sorted.
  case $name in
  *.verbose) mask "$work/stderr" | sort > "$out/$name.stderr" ;;
  *) mask "$work/stderr" > "$out/$name.stderr" ;;
  esac
}

# database NAME FILE: what a database holds, as text, and the sha256 of its bytes.
database() {
  sqlite3 "$2" .dump > "$out/$1.dump"
  sha256sum < "$2" | cut -d' ' -f1 > "$out/$1.sha256"
}

# pair LABEL PRIMARY SECONDARY [ARGS...]: every mode of one pair.
pair() {
  local label=$1 primary=$2 secondary=$3
  shift 3
  local format
  for format in text markdown json html summary; do
    run "$label.dry.$format" -n --format "$format" "$@" "$primary" "$secondary"
  done
  run "$label.dry.verbose" -n -v "$@" "$primary" "$secondary"
  run "$label.dry.window" -n --format json --window 2s "$@" "$primary" "$secondary"
  rm -f "$work/out.db"
  run "$label.o" -o "$work/out.db" --format json "$@" "$primary" "$secondary"
  database "$label.o" "$work/out.db"
  rm -f "$work/out.db"
  cp "$primary" "$work/live.db"
  rm -rf "$work/backups"
  mkdir "$work/backups"
  run "$label.in_place" --in-place --format json --backup-dir "$work/backups" "$@" "$work/live.db" \
    "$secondary"
  database "$label.in_place" "$work/live.db"
  cp "$primary" "$work/live.db"
  run "$label.sql" -n --format sql "$@" "$work/live.db" "$secondary"
  cp "$out/$label.sql.stdout" "$work/patch.sql"
  sqlite3 "$work/live.db" < "$work/patch.sql" > /dev/null 2>&1
  echo $? > "$out/$label.sql.applied.status"
  database "$label.sql.applied" "$work/live.db"
  rm -f "$work/live.db" "$work/live.db-journal"
}

sh "$here/../testdata/make-fixtures.sh" "$work/fixtures" > /dev/null || exit 70
f=$work/fixtures
pair sample "$f/primary.db" "$f/secondary.db"
pair sample-wal "$f/primary.db" "$f/secondary-wal.db"
pair day "$f/day-primary.db" "$f/day-secondary.db"
for dir in "$@"; do
  pair "bench-$(basename "$dir")" "$dir/primary.db" "$dir/secondary.db"
done
echo "$(find "$out" -type f | wc -l) files in $out"
