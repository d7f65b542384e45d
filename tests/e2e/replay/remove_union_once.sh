# --remove-replays with -o on two write-to-both nodes (bench/peers-generate.sh, 10k clicks,
# arrival times): the output holds every distinct click exactly once (no click twice, though the
# chance estimate would allow some), the primary's replayed duplicates left out; -n predicts that
# count in every report format, and sqlite_sequence is the primary's.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/peers-generate.sh" 10000 nodes > /dev/null 2> gen.err
figure() {
  sed -n "s/^$1=//p" "$2"
}
distinct=$(figure distinct_clicks nodes/truth.txt)
primary_dups=$(figure replayed_dup_a nodes/truth.txt)
test "$primary_dups" -gt 0 || { echo "the nodes hold no replayed duplicate" >&2; exit 1; }
opts="--window 1s --replay-window 24h"

# The dry run's prediction, in JSON: the count, and a union that holds each click once.
# shellcheck disable=SC2086
$hm -n $opts --remove-replays --format json nodes/a.db nodes/b.db > report.json
predicted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["replay"]["primary_replayed_removed"])' report.json)
chance=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["replay"]["chance_pairs"])' report.json)
primary_chance=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["replay"]["chance_pairs_primary"])' report.json)
rows_out=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows_out"])' report.json)
test "$predicted" -gt 0

# shellcheck disable=SC2086
$hm $opts --remove-replays -o out.db nodes/a.db nodes/b.db > out.txt
sh "$SOURCE_DIR/bench/peers-check.sh" out.db nodes > out.check || true
assert_eq 0 "$(figure clicks_missing out.check)" "clicks lost"
assert_eq 0 "$(figure rows_unknown out.check)" "rows of no click"
assert_eq 0 "$(figure clicks_extra out.check)" "clicks twice (chance estimate: $chance)"
assert_eq "$distinct" "$(rows out.db)" "rows of the output"
assert_eq "$rows_out" "$(rows out.db)" "rows the dry run predicted"
grep -q "^  replayed duplicates removed from the primary: $predicted (by chance alone: about $primary_chance)\$" out.txt
grep -q "^left out $predicted replayed duplicates of the primary\$" out.txt
assert_eq "$(sqlite3 nodes/a.db 'SELECT seq FROM sqlite_sequence')" \
  "$(sqlite3 out.db 'SELECT seq FROM sqlite_sequence')" "sqlite_sequence"
# The rows removed are the primary's own: every other row of the primary is in the output.
assert_eq "$(($(rows nodes/a.db) - predicted))" "$(rows out.db "id <= $(sqlite3 nodes/a.db 'SELECT max(id) FROM click_events')")" \
  "the primary's rows kept"

# The other formats say it too.
# shellcheck disable=SC2086
$hm -n $opts --remove-replays --format markdown nodes/a.db nodes/b.db > report.md
grep -q "^- replayed duplicates removed from the primary: $predicted (by chance alone: about $primary_chance)\$" report.md
# shellcheck disable=SC2086
$hm -n $opts --remove-replays --format html nodes/a.db nodes/b.db > report.html
grep -q "<p>Replayed duplicates removed from the primary: $predicted (by chance alone: about $primary_chance).</p>" report.html
# shellcheck disable=SC2086
$hm -n $opts --remove-replays --format summary nodes/a.db nodes/b.db > summary.txt
grep -q ", $predicted replayed duplicates removed from the primary)" summary.txt
# Without the option, no such key: the report stays as it was.
# shellcheck disable=SC2086
$hm -n $opts --format json nodes/a.db nodes/b.db > without.json
! grep -q primary_replayed_removed without.json
! grep -q chance_pairs_primary without.json
