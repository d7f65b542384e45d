# -n --peers reports what each node lacks, in every format: the text's list and each node's
# report, JSON's nodes (each with its report), Markdown's list, one HTML document with a
# section per node, a summary line per node; --exit-code is 1 when a node lacks rows.
. "$(dirname "$0")/../common.inc"
cp primary.db a.db
cp secondary.db b.db
$hm -n --peers --window 2s a.db b.db > report.txt
a=$($hm -n --window 2s --format json a.db b.db | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows_added"])')
b=$($hm -n --window 2s --format json b.db a.db | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows_added"])')
grep -q "^  a.db lacks $a rows\?$" report.txt
grep -q "^  b.db lacks $b rows\?$" report.txt
grep -q "^== node 2 of 2: b.db ==$" report.txt
if grep -q "did you swap them" report.txt; then
  echo "a swap warning between peers" >&2
  exit 1
fi
$hm -n --peers --window 2s --format json a.db b.db > report.json
python3 - report.json "$a" "$b" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["peers"] is True and report["dry_run"] is True, report.keys()
nodes = report["nodes"]
assert [n["node"] for n in nodes] == ["a.db", "b.db"], nodes
assert [n["rows_added"] for n in nodes] == [int(sys.argv[2]), int(sys.argv[3])], nodes
assert report["rows_added"] == int(sys.argv[2]) + int(sys.argv[3])
assert nodes[1]["report"]["inputs"][0]["path"] == "b.db", nodes[1]["report"]["inputs"][0]
PY
$hm -n --peers --window 2s --format markdown a.db b.db > report.md
grep -q '^# heatmap-merge peers, dry run$' report.md
grep -q "^- \`b.db\` lacks $b rows\?$" report.md
$hm -n --peers --window 2s --format html a.db b.db > report.html
assert_eq 1 "$(grep -c '<html' report.html)" "HTML documents"
assert_eq 2 "$(grep -c '<section>' report.html)" "sections"
$hm -n --peers --window 2s --format summary a.db b.db > summary.txt
assert_eq 2 "$(wc -l < summary.txt)" "summary lines"
expect_exit 1 $hm -n --peers -q --exit-code --window 2s a.db b.db
