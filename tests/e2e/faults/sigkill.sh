# SIGKILL at many points of a larger merge (20 steps from 0 to 1.5 times the full run time): after each,
# the output path holds nothing or a complete, valid database with every expected row, never a
# partial one. (Temporary files may survive SIGKILL; they are removed between steps.)
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
grow primary.db 15000 p
grow secondary.db 15000 s
expected=30465
# One undisturbed run gives the run time (in ms) and proves the expected count.
start=$(date +%s%N)
$hm -q primary.db secondary.db -o full.db
runtime=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "$expected" "$(rows full.db)" "rows of an undisturbed run"
rm -f full.db
complete=0 absent=0
step=0
while [ "$step" -lt 20 ]; do
  # Delays from 0 to 1.5 times the run time, in ms.
  delay=$(( step * runtime * 15 / 10 / 19 ))
  $hm -q primary.db secondary.db -o out.db 2>/dev/null &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -e out.db ]; then
    check=$(sqlite3 out.db 'PRAGMA integrity_check' 2>&1 || true)
    count=$(rows out.db 2>&1 || true)
    if [ "$check" != ok ] || [ "$count" != "$expected" ]; then
      echo "step $step (killed after $delay ms): out.db is partial: integrity '$check', $count rows" >&2
      exit 1
    fi
    complete=$((complete + 1))
  else
    absent=$((absent + 1))
  fi
  rm -f out.db .out.db.tmp-*
  step=$((step + 1))
done
echo "run time $runtime ms; after SIGKILL: $absent times no output, $complete times complete"
test "$absent" -gt 0
