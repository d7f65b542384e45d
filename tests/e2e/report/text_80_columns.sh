# The text report fits an 80-column terminal, -v samples included, with the sample replicas and
# with the long-named day replicas (characters counted, not bytes: the ellipsis is one).
. "$(dirname "$0")/../common.inc"
$hm -n primary.db secondary.db > sample
$hm -n -v primary.db secondary.db > sample-v 2>/dev/null
$hm -n --window 2s day-primary.db day-secondary.db > day
$hm -n -v --window 2s day-primary.db day-secondary.db > day-v 2>/dev/null
cp day-secondary.db day-secondary-2.db
cp day-secondary.db day-secondary-3.db
$hm -n -v day-primary.db day-secondary.db day-secondary-2.db day-secondary-3.db > four 2>/dev/null
for report in sample sample-v day day-v four; do
  # UTF-8 continuation bytes dropped, each character is one byte.
  LC_ALL=C sed 's/[\x80-\xbf]//g' "$report" | LC_ALL=C awk -v report="$report" '
    length($0) > 80 { print report ": " length($0) " columns: " $0; wide = 1 }
    END { exit wide }' >&2
done
# The wide table of old is split, not lost: every count is still there.
grep -q '^secondary  *exact  *window  *conflicts  *added$' sample
grep -q '^secondary.db  *240  *0  *1  *65$' sample
