# SIGTERM during a merge: the run ends by the signal (exit status 143), removes its temporary
# files (the database and its -journal) and leaves no output.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
grow primary.db 60000 p
grow secondary.db 60000 s
# A background job of a script starts with SIGINT ignored: give the tool the default disposition,
# as an interactive shell would.
env --default-signal=TERM $hm -q primary.db secondary.db -o out.db 2> err &
pid=$!
wait_for_temp out.db "$pid"
sleep 0.05 # within the run, which the faster merge now ends in a few tenths of a second
kill -TERM "$pid"
set +e
wait "$pid"
got=$?
set -e
assert_eq 143 "$got" "exit status after SIGTERM"
test ! -e out.db
assert_eq "" "$(temps out.db)" "temporary files"
no_leftovers
