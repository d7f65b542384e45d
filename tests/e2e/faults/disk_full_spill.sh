# A disk that fills while the keys spill (RLIMIT_FSIZE under the spill files' size, in a dry run,
# which writes nothing else): exit 74 with a message that names the directory, and nothing left
# in it. The spill files have no name, so even a SIGKILL leaves nothing.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/generate.sh" 60000 gen > /dev/null
mkdir spill
expect_exit 74 sh -c "trap '' XFSZ; ulimit -f 64; TMPDIR='$PWD/spill' exec $hm -n \
  --memory-limit 1MiB gen/primary.db gen/secondary.db > /dev/null"
grep -q "spill" err
grep -q "$PWD/spill" err
assert_eq "" "$(ls -A spill)" "files left in the spill directory"
# Killed, while it spills or later: nothing left either, as the files never had a name.
TMPDIR=$PWD/spill $hm -n --memory-limit 1MiB gen/primary.db gen/secondary.db > /dev/null 2>&1 &
pid=$!
sleep 0.2
kill -KILL $pid 2> /dev/null || true
wait $pid 2> /dev/null || true
assert_eq "" "$(ls -A spill)" "files left in the spill directory after SIGKILL"
