# Long file names are never cut into stubs that read the same: with room they show whole, and
# where four inputs share the clicks-per-hour table each keeps its distinguishing end.
. "$(dirname "$0")/../common.inc"
$hm -n day-primary.db day-secondary.db > report
grep -q '^  hour  *day-primary.db  *day-secondary.db  *added$' report
$hm -n --format markdown day-primary.db day-secondary.db > report.md
grep -qF '| `day-primary.db` (primary) | `day-secondary.db` (secondary) |' report.md

cp day-secondary.db day-secondary-2.db
cp day-secondary.db day-secondary-3.db
$hm -n day-primary.db day-secondary.db day-secondary-2.db day-secondary-3.db > four
header=$(grep -m 1 '^  hour ' four)
# Every label in the header is different, and each ends as its file name does.
labels=$(echo "$header" | tr -s ' ' '\n' | grep -v -e '^$' -e '^hour$' -e '^added$')
assert_eq 4 "$(echo "$labels" | sort -u | wc -l)" "distinct labels in: $header"
for end in 'primary.db' 'ndary.db' 'ndary-2.db' 'ndary-3.db'; do
  echo "$labels" | grep -q "$end\$" || { echo "no label ends in $end: $header" >&2; exit 1; }
done
