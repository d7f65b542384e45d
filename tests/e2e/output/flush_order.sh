# The output reaches the disk before it takes its name, and its name after: the temporary file is
# flushed after its last write, then renamed, then its directory flushed. In place, the backup is
# durable (flushed, renamed, its directory flushed) before the first write to the primary. The
# slow_fsync shim logs the calls (issue 31, item 13).
. "$(dirname "$0")/../common.inc"
shim=${SLOW_FSYNC:?set SLOW_FSYNC to the slow_fsync shim}
here=$(pwd -P)

# run LOG ARGS...: heatmap-merge under the shim, its calls logged to LOG.
run() {
  log=$1
  shift
  LD_PRELOAD=$shim SLOW_FSYNC_MS=0 SLOW_FSYNC_LOG=$here/$log ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    $hm -q "$@"
}

# check_commit LOG TARGET: TARGET came from a temporary file whose flush began after its last
# write and was done before its rename, and the directory's flush began after the rename; prints
# the line where that directory flush was done.
check_commit() {
  awk -v target="$here/$2" -v dir="$here" '
    { line[NR] = $0 }
    $1 == "rename" && $3 == target { renamed = NR; temp = $2 }
    END {
      if (!renamed) { print "no rename into " target > "/dev/stderr"; exit 1 }
      for (n = 1; n < renamed; n++) {
        split(line[n], f, " ")
        if (f[2] != temp) continue
        if (f[1] == "write") { last_write = n; started = 0; flushed = 0 }
        if (f[1] == "fsync" || f[1] == "fdatasync") started = n
        if ((f[1] == "fsync-done" || f[1] == "fdatasync-done") && started) flushed = n
      }
      if (!last_write) { print "no write to " temp > "/dev/stderr"; exit 1 }
      if (!flushed) {
        print temp " not flushed after its last write (line " last_write ") before its rename (line " renamed ")" > "/dev/stderr"
        exit 1
      }
      for (n = renamed + 1; n <= NR; n++) {
        split(line[n], f, " ")
        if (f[2] != dir) continue
        if (f[1] == "fsync") started = n
        if (f[1] == "fsync-done" && started > renamed) { print n; exit 0 }
      }
      print "directory " dir " not flushed after the rename (line " renamed ")" > "/dev/stderr"
      exit 1
    }' "$1"
}

run new.log -o out.db primary.db secondary.db
assert_eq 465 "$(rows out.db)" "rows out"
check_commit new.log out.db > /dev/null

cp primary.db live.db
run in-place.log --in-place live.db secondary.db
assert_eq 465 "$(rows live.db)" "rows in place"
backup=$(ls | grep '^live.db.backup-')
durable=$(check_commit in-place.log "$backup")
first_write=$(awk -v primary="$here/live.db" '
  $1 == "write" && ($2 == primary || $2 == primary "-journal" || $2 == primary "-wal") {
    print NR; exit
  }' in-place.log)
[ -n "$first_write" ] || { echo "no write to live.db logged" >&2; exit 1; }
if [ "$durable" -ge "$first_write" ]; then
  echo "live.db written (line $first_write) before its backup was durable (line $durable)" >&2
  exit 1
fi
no_leftovers
