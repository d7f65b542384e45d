# Two runs writing the same output at once: while the first is merging large inputs, a second to
# the same -o exits 75 at once, naming the output, and touches nothing (the first's temporary
# file and lock stay, no output appears); the first then succeeds with the complete result.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
grow primary.db 150000 p
grow secondary.db 150000 s
$hm -q primary.db secondary.db -o out.db 2> first.err &
first=$!
wait_for_temp out.db "$first"
temp_before=$(temps out.db)
set +e
$hm -q primary.db secondary.db -o out.db 2> second.err
second=$?
set -e
still_running=no
kill -0 "$first" 2>/dev/null && still_running=yes
temp_after=$(temps out.db)
if ! wait "$first"; then
  echo "the first run failed:" >&2
  cat first.err >&2
  exit 1
fi
assert_eq yes "$still_running" "the first run was still running when the second ended"
assert_eq 75 "$second" "second run's exit"
grep -q "another heatmap-merge is writing out.db.*try again later" second.err
assert_eq "$temp_before" "$temp_after" "the first run's temporary file"
assert_eq 300465 "$(rows out.db)" "rows out"
assert_eq ok "$(sqlite3 out.db 'PRAGMA quick_check')" "quick_check"
no_leftovers
