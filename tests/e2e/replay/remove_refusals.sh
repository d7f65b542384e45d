# --remove-replays needs --replay-window, and a patch (--format sql) does not remove rows: each
# is exit 64 with a message that says what to do, from the command line or a --config file;
# "remove-replays = true" in a --config file turns it on.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm --remove-replays -o out.db primary.db secondary.db
grep -qF -- "--remove-replays removes the primary's replayed duplicates, which --replay-window finds: give --replay-window DURATION" err
test ! -e out.db
expect_exit 64 $hm --replay-window 0 --remove-replays -n primary.db secondary.db
grep -qF -- '--replay-window DURATION' err
expect_exit 64 $hm -n --format sql --replay-window 1h --remove-replays primary.db secondary.db
grep -qF -- '--format sql does not remove rows: run --remove-replays with --in-place' err
printf 'remove-replays = true\nreplay-window = "1h"\n' > job.toml
$hm --config job.toml -n --format json primary.db secondary.db > report.json
grep -q '"primary_replayed_removed"' report.json
printf 'remove-replays = true\n' > bad.toml
expect_exit 64 $hm --config bad.toml -n primary.db secondary.db
grep -qF 'bad.toml:1: --remove-replays removes' err
