# --format html is one self-contained page: SVG pictures that show each outage, the outages'
# times and the pages, and nothing that reaches outside the file (no address, no script).
. "$(dirname "$0")/../common.inc"
$hm -n --format html day-primary.db day-secondary.db > report.html
grep -q '^<!DOCTYPE html>$' report.html
grep -q '^</html>$' report.html
grep -q '<svg' report.html
# The timeline shades one band per outage.
assert_eq 3 "$(grep -c 'class="outage-band"' report.html)" "outage bands in the timeline"
# True bounds (outages.sql): 02:00-02:45, 09:10-09:20, 17:00-19:30; clicks every 20 s.
for time in '2026-03-02 02:00:00' '2026-03-02 02:44:40' '2026-03-02 09:10:00' \
            '2026-03-02 09:19:40' '2026-03-02 17:00:00' '2026-03-02 19:29:40'; do
  grep -qF "<td class=\"t\">$time</td>" report.html || { echo "outage time $time missing" >&2; exit 1; }
done
for page in 0 1 2 3 4 5 6; do
  grep -qF "<code>/p/$page</code>" report.html || { echo "page /p/$page missing" >&2; exit 1; }
done
# The heat pictures of the busiest pages: 20x20 grids of cells.
assert_eq 3 "$(grep -c '<figcaption><code>/p/' report.html)" "heat pictures"
for forbidden in 'http://' 'https://' 'src=' '<script' '<link' '<img' '<iframe' '@import' 'url('; do
  if grep -qiF "$forbidden" report.html; then
    echo "the page is not self-contained: it has $forbidden" >&2
    grep -iF "$forbidden" report.html >&2
    exit 1
  fi
done
