# A window given in minutes is echoed in minutes ("2m", not "120s"), in every format that echoes it.
. "$(dirname "$0")/../common.inc"
$hm -n --window 2m primary.db secondary.db > report 2>/dev/null
$hm -n --window 2m --format markdown primary.db secondary.db > report.md 2>/dev/null
$hm -n --window 2m --format html primary.db secondary.db > report.html 2>/dev/null
grep -q '^duplicates: 240 exact, 5 within 2m$' report
grep -q '^- window: 2m;' report.md
grep -qF '<p>Window 2m:' report.html
if grep -q '120s' report report.md report.html; then
  echo "the window is echoed in seconds" >&2
  exit 1
fi
