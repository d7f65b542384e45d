# A dry run writes nothing, and its rows_added and rows_out are what the real run then does.
. "$(dirname "$0")/../common.inc"
ls -A > ../before-$name
$hm --dry-run --format json primary.db secondary.db > dry.json
ls -A | grep -v -x dry.json > ../after-$name
if ! cmp -s ../before-$name ../after-$name; then
  echo "dry run wrote a file:" >&2
  diff ../before-$name ../after-$name >&2
  exit 1
fi
$hm --format json primary.db secondary.db -o out.db > real.json
for key in rows_added rows_out duplicates conflicts; do
  assert_eq "$(grep "\"$key\"" dry.json)" "$(grep "\"$key\"" real.json)" "$key"
done
assert_eq "$(rows out.db)" "$(sed -n 's/^  "rows_out": \([0-9]*\),$/\1/p' dry.json)" "rows_out"
