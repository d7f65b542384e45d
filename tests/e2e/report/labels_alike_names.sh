# Two replicas both named heatmap.db, in gcp/ and aws/ as the README has them: every format tells
# them apart by the trailing path parts that differ, with their roles, never by colour alone.
. "$(dirname "$0")/../common.inc"
mkdir -p srv/gcp srv/aws
mv day-primary.db srv/gcp/heatmap.db
mv day-secondary.db srv/aws/heatmap.db
in="./srv/gcp/heatmap.db ./srv/aws/heatmap.db"
$hm -n $in > report
$hm -n --format markdown $in > report.md
$hm -n --format html $in > report.html
$hm -n --format json $in > report.json

# Text: the inputs table and the clicks per hour, roles above the labels.
grep -q '^gcp/heatmap.db  *primary ' report
grep -q '^aws/heatmap.db  *secondary ' report
grep -q '^ *primary  *secondary$' report
grep -q '^  hour  *gcp/heatmap.db  *aws/heatmap.db  *added$' report
# The labels name the files given: the full paths follow the table.
grep -qF "gcp/heatmap.db: ./srv/gcp/heatmap.db" report
# Markdown and HTML: the hour tables' headers.
grep -qF '| hour (UTC) | `gcp/heatmap.db` (primary) | `aws/heatmap.db` (secondary) | added |' report.md
grep -qF '</span><code>gcp/heatmap.db</code> (primary)</th>' report.html
grep -qF '</span><code>aws/heatmap.db</code> (secondary)</th>' report.html
# The chart's legend: the label and role beside each line's colour and dash.
grep -qF 'solid #1f6fb4"></span><code>gcp/heatmap.db</code> (primary)</span>' report.html
grep -qF 'dashed #e8790c"></span><code>aws/heatmap.db</code> (secondary)</span>' report.html
# JSON: a label per input beside the path (a field added; "path" is as it was).
tr -d ' \n' < report.json | grep -qF "\"label\":\"gcp/heatmap.db\",\"last\""
tr -d ' \n' < report.json | grep -qF "\"label\":\"aws/heatmap.db\",\"last\""
tr -d ' \n' < report.json | grep -qF '"path":"./srv/aws/heatmap.db"'

