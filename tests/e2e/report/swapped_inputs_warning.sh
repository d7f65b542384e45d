# Inputs given the wrong way round (the secondary first): the run goes on, but a warning says the
# first input looks like the secondary, on stderr (even with -q), in the text, markdown and HTML
# reports, in JSON's "swap_warnings" and in --format summary. Given the right way round, on both
# sample pairs, no warning anywhere.
. "$(dirname "$0")/../common.inc"
warning='looks like the secondary: it lacks'
for pair in "primary.db secondary.db" "day-primary.db day-secondary.db"; do
  set -- $pair
  for window in 0 2s; do
    $hm -n --window $window "$1" "$2" > report 2> log
    lacks "$warning" report log
    $hm -n --window $window --format json "$1" "$2" > report.json
    grep -q '"swap_warnings": \[\]' report.json
    $hm -n --window $window --format summary "$1" "$2" > summary
    lacks 'swapped' summary
  done
done

# Swapped: the sample replicas, then the day with three outages.
$hm -n --window 2s secondary.db primary.db > report 2> log
grep -qx 'heatmap-merge: warning: secondary.db looks like the secondary: it lacks 155 of primary.db.s clicks, more than the 60 of its own that primary.db lacks, and of the 5 clicks both hold a few seconds apart it has the later copies (1.45s later in the middle), as a secondary has of failover retries; did you swap them? The first input must be the primary' log
tr '\n' ' ' < report | tr -s ' ' | grep -q 'warning: secondary.db looks like the secondary: it lacks 155 of primary.db.s clicks.* did you swap them?'
expect_exit 0 $hm -n -q day-secondary.db day-primary.db
grep -q "heatmap-merge: warning: day-secondary.db $warning 3345 of day-primary.db's clicks, more than the 647" err
$hm -n --format json day-secondary.db day-primary.db > report.json
grep -A 7 '"swap_warnings": \[' report.json > warning.json
grep -qF '"message": "day-secondary.db looks like the secondary: it lacks 3345' warning.json
grep -qF '"primary_lacks": 3345,' warning.json
grep -qF '"secondary_lacks": 647' warning.json
grep -qF '"retry_pairs": 32,' warning.json
grep -qF '"retry_median_ms": -' warning.json
grep -qF '"secondary": "day-primary.db"' warning.json
$hm -n --format markdown secondary.db primary.db | grep -q "^\*\*Warning:\*\* \`secondary.db\` $warning"
$hm -n --format html secondary.db primary.db | grep -q "<p class=\"warning\">Warning: secondary.db $warning"
$hm -n --format summary secondary.db primary.db > summary
grep -q '; warning: secondary.db and primary.db look swapped (the first must be the primary)$' summary
# Still only a warning: the merge is written as asked.
$hm -q -o out.db secondary.db primary.db 2> log
grep -q "$warning" log
test -f out.db
