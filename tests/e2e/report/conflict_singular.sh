# One conflict is "1 duplicate", not "1 duplicates", in every format that says it.
. "$(dirname "$0")/../common.inc"
$hm -n primary.db secondary.db > report
$hm -n --format markdown primary.db secondary.db > report.md
$hm -n --format html primary.db secondary.db > report.html
grep -q '^conflicts: 1 duplicate whose other columns differ' report
grep -qF '**Conflicts: 1 duplicate** whose other columns differ' report.md
grep -qF 'Conflicts: 1 duplicate whose other columns differ' report.html
if grep -q '1 duplicates' report report.md report.html; then
  echo "a plural after 1" >&2
  exit 1
fi
