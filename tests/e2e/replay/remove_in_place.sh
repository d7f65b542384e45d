# --in-place --remove-replays on copies of two write-to-both nodes (bench/peers-generate.sh, 10k
# clicks): -n predicts the count; the run deletes that many rows from the primary after its
# backup, lists each on stderr with -v, and leaves the primary with every click, each once (a
# click the node holds three times, a late commit replayed by two flushes at once, included);
# a rerun changes nothing and keeps no backup.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/peers-generate.sh" 10000 nodes > /dev/null 2> gen.err
figure() {
  sed -n "s/^$1=//p" "$2"
}
mkdir live
cp nodes/a.db nodes/b.db live/
opts="--window 1s --replay-window 24h --remove-replays"
json() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}

# shellcheck disable=SC2086
$hm -n --in-place $opts --format json live/a.db live/b.db > dry.json
predicted=$(json dry.json 'r["replay"]["primary_replayed_removed"]')
chance=$(json dry.json 'r["replay"]["chance_pairs"]')
test "$predicted" -gt 0
assert_eq "$(cksum < nodes/a.db)" "$(cksum < live/a.db)" "the primary after the dry run"

# shellcheck disable=SC2086
$hm -v --in-place $opts --format json live/a.db live/b.db > run.json 2> run.err
assert_eq "$predicted" "$(json run.json 'r["in_place"]["replays_removed"]')" "rows removed"
assert_eq "$predicted" "$(json run.json 'r["replay"]["primary_replayed_removed"]')" "rows reported"
assert_eq 0 "$(json run.json 'r["in_place"]["replays_left"]')" "rows left"
assert_eq "$predicted" \
  "$(grep -c '^heatmap-merge: removed row [0-9]* (2026-.*, /.*): replayed duplicate of id [0-9]*$' run.err)" \
  "rows listed by -v"
# The backup is the primary as it was.
backup=$(json run.json 'r["in_place"]["backup"]')
assert_eq "$(sqlite3 nodes/a.db 'SELECT * FROM click_events ORDER BY id')" \
  "$(sqlite3 "$backup" 'SELECT * FROM click_events ORDER BY id')" "the backup"
# Each row listed is gone, and was in the primary.
for id in $(sed -n 's/^heatmap-merge: removed row \([0-9]*\) .*/\1/p' run.err | head -5); do
  assert_eq 0 "$(rows live/a.db "id = $id")" "row $id after the run"
  assert_eq 1 "$(rows nodes/a.db "id = $id")" "row $id before"
done
sh "$SOURCE_DIR/bench/peers-check.sh" live/a.db nodes > live.check || true
assert_eq 0 "$(figure clicks_missing live.check)" "clicks the primary lacks"
assert_eq 0 "$(figure rows_unknown live.check)" "rows of no click"
assert_eq 0 "$(figure clicks_extra live.check)" "clicks the primary holds twice"
test "$chance" -ge 0

# A rerun changes nothing.
before=$(cksum < live/a.db)
# shellcheck disable=SC2086
$hm --in-place $opts --format json live/a.db live/b.db > again.json
assert_eq 0 "$(json again.json 'r["replay"]["primary_replayed_removed"]')" "rows removed by the rerun"
assert_eq 0 "$(json again.json 'r["in_place"]["inserted"]')" "rows added by the rerun"
assert_eq null "$(json again.json 'r["in_place"]["backup"] or "null"')" "a backup of nothing"
assert_eq "$before" "$(cksum < live/a.db)" "the primary after the rerun"
