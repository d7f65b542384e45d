# A dry run writes nothing, and its rows_added and rows_out are what the real run then does.
. "$(dirname "$0")/common.inc"
$hm --dry-run --format json primary.db secondary.db > dry.json
ls -A > files
if grep -v -E '^(primary|secondary|secondary-wal)\.db(-wal|-shm)?$|^(dry\.json|files|err)$' files; then
  echo "dry run wrote a file" >&2
  exit 1
fi
$hm --format json primary.db secondary.db -o out.db > real.json
for key in rows_added rows_out duplicates conflicts; do
  assert_eq "$(grep "\"$key\"" dry.json)" "$(grep "\"$key\"" real.json)" "$key"
done
assert_eq "$(rows out.db)" "$(sed -n 's/^  "rows_out": \([0-9]*\),$/\1/p' dry.json)" "rows_out"
