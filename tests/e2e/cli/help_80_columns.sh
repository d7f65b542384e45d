# --help fits an 80-column terminal, shows the inputs once as PRIMARY SECONDARY... (not "inputs
# ... REQUIRED"), gives --config its FILE placeholder and keeps the option groups.
. "$(dirname "$0")/../common.inc"
$hm --help > help
long=$(awk 'length > 80' help)
test -z "$long" || { echo "lines over 80 columns:" >&2; echo "$long" >&2; exit 1; }
grep -qxF "Usage: heatmap-merge [OPTIONS] PRIMARY SECONDARY..." help
grep -qE '^  PRIMARY SECONDARY\.\.\.  +PRIMARY then one or more SECONDARY databases$' help
if grep -E 'REQUIRED|inputs' help; then
  echo "--help still shows the positional's internal name" >&2
  exit 1
fi
grep -qE '^  --config FILE ' help
grep -q -- '--lock-timeout DURATION=5s' help
for group in Output Matching Report; do
  grep -q "Option Group: $group" help
done
