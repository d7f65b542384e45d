# The HTML report renders in a real browser: headless Chromium parses the timeline and its
# outage bands and takes a screenshot. Skipped where Chromium is not installed (scripts/test.sh
# installs it: `sh scripts/install-deps.sh --test`).
. "$(dirname "$0")/../common.inc"
command -v chromium >/dev/null 2>&1 || skip "chromium is not installed"
$hm -n --format html day-primary.db day-secondary.db > report.html
profile=$(mktemp -d "$t/profile.XXXXXX")
# No network, no first-run work: the page must not need any of it. --no-sandbox: Chromium refuses
# to run as root (CI) with its sandbox; --disable-dev-shm-usage: a container's /dev/shm (64 MB)
# is too small for it, and Debian's wrapper fails to add the flag where /dev/shm is mounted twice.
chromium_flags="--headless --no-sandbox --disable-dev-shm-usage --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir=$profile --window-size=1280,2400"
# shellcheck disable=SC2086
timeout 90 chromium $chromium_flags --dump-dom "file://$t/report.html" > dom.html 2> chromium.log
assert_eq 3 "$(grep -o 'class="outage-band"' dom.html | wc -l)" "outage bands in the browser's DOM"
grep -q '<polyline' dom.html
# shellcheck disable=SC2086
timeout 90 chromium $chromium_flags --screenshot="$t/report.png" "file://$t/report.html" \
  2>> chromium.log >/dev/null
# A PNG of the window's size (width and height at bytes 17-24, big-endian).
assert_eq '89504e47' "$(od -An -tx1 -N4 report.png | tr -d ' \n')" "PNG signature"
assert_eq '0000050000000960' "$(od -An -tx1 -j16 -N8 report.png | tr -d ' \n')" \
  "screenshot size 1280x2400"
