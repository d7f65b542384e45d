# --replay-window on two write-to-both nodes (bench/peers-generate.sh, 10k clicks, arrival
# times): -o --window 1s --replay-window 24h holds every distinct click, each once but for the
# primary's own replayed duplicates, which stay; and a second merge of the output adds nothing.
# The report gives both kinds of pairs per page, the same when the plan spills.
. "$(dirname "$0")/../common.inc"
sh "$SOURCE_DIR/bench/peers-generate.sh" 10000 nodes > /dev/null 2> gen.err
figure() {
  sed -n "s/^$1=//p" "$2"
}
distinct=$(figure distinct_clicks nodes/truth.txt)
primary_dups=$(figure replayed_dup_a nodes/truth.txt)
test "$primary_dups" -gt 0 || { echo "the nodes hold no replayed duplicate" >&2; exit 1; }

# The window alone leaves the replays apart: clicks twice.
$hm --window 1s -o window.db nodes/a.db nodes/b.db > /dev/null
sh "$SOURCE_DIR/bench/peers-check.sh" window.db nodes > window.check || true
test "$(figure clicks_extra window.check)" -gt "$((primary_dups + 100))"

$hm --window 1s --replay-window 24h -o out.db nodes/a.db nodes/b.db > /dev/null
sh "$SOURCE_DIR/bench/peers-check.sh" out.db nodes > out.check || true
assert_eq 0 "$(figure clicks_missing out.check)" "clicks lost"
assert_eq 0 "$(figure rows_unknown out.check)" "rows of no click"
# What is more than once is the primary's own copies: -o never changes the primary.
# (clicks_extra counts clicks: one may hold two of them.)
test "$(figure clicks_extra out.check)" -le "$primary_dups"
assert_eq "$((distinct + primary_dups))" "$(rows out.db)" "rows of the output"

# A rerun adds nothing: the output against the secondary again.
$hm --window 1s --replay-window 24h -o again.db out.db nodes/b.db > /dev/null
assert_eq "$(rows out.db)" "$(rows again.db)" "rows after a second merge"

# The report: a secondary's rows are its duplicates, its replay pairs, its replayed duplicates
# and its rows added; the text report says so too.
$hm -n --window 1s --replay-window 24h --format json nodes/a.db nodes/b.db > report.json
python3 - report.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
b = report["inputs"][1]
assert b["rows"] == b["duplicates"] + b["duplicates_replay"] + b["replayed_duplicates"] + b["rows_added"], b
replay = report["replay"]
assert replay["ms"] == 86400000.0, replay["ms"]
assert replay["pairs_across"] == b["duplicates_replay"] > 0, replay
assert replay["replayed_duplicates"] == b["replayed_duplicates"] > 0, replay
assert replay["across"]["pairs"] == replay["pairs_across"], replay["across"]
assert replay["within"]["pairs"] == replay["replayed_duplicates"], replay["within"]
assert 0 < len(replay["samples"]) <= 5, replay["samples"]
assert 0 <= replay["chance_pairs"] < replay["pairs_across"], replay["chance_pairs"]
# Per page, each kind: the busiest pages and the rest add up to the kind's count.
for kind, count in (("pages_across", "pairs_across"), ("pages_within", "replayed_duplicates")):
    pages = replay[kind]
    assert 0 < len(pages["top"]) <= 10, pages
    total = sum(p["rows"] for p in pages["top"]) + pages["other_rows"]
    assert total == replay[count], (kind, total, replay[count])
PY
# The same pages when the plan's stores spill (1 MiB).
$hm -n --window 1s --replay-window 24h --memory-limit 1MiB --format json nodes/a.db nodes/b.db \
  > spilled.json
python3 - report.json spilled.json <<'PY'
import json, sys
a, b = (json.load(open(f))["replay"] for f in sys.argv[1:])
assert (a["pages_across"], a["pages_within"]) == (b["pages_across"], b["pages_within"])
PY
$hm -n --window 1s --replay-window 24h nodes/a.db nodes/b.db > report.txt
grep -q '^replays within 24h: [0-9]* pairs across inputs, [0-9]* replayed duplicates' report.txt
grep -q '^  by chance alone: about [0-9]* (identical rows 24h to 48h apart)$' report.txt
grep -q '^replay pairs per page$' report.txt
grep -q '^replayed duplicates per page$' report.txt
$hm -n --window 1s --replay-window 24h --format markdown nodes/a.db nodes/b.db > report.md
grep -q '^### Replays$' report.md
grep -q '^| page | replay pairs |$' report.md
grep -q '^- by chance alone: about [0-9]*' report.md
$hm -n --window 1s --replay-window 24h --format html nodes/a.db nodes/b.db > report.html
grep -q '<h2>Replays</h2>' report.html
$hm -n --window 1s --replay-window 24h --format summary nodes/a.db nodes/b.db > summary.txt
grep -q ' replay pairs, [0-9]* replayed duplicates)' summary.txt
