# examples/heatmap-merge.service and .timer pass `systemd-analyze verify` as installed: in a root
# that holds the installed tree (cmake --install), the units in its /etc/systemd/system and the
# system's own units, where the ExecStart binary is found on systemd's search path, as it would be
# in /usr/bin. Any message fails, since systemd only warns about an unknown or bad setting. The
# service runs the cron example's command, and its Documentation names an installed man page.
. "$(dirname "$0")/../common.inc"
command -v systemd-analyze >/dev/null 2>&1 ||
  skip "systemd-analyze is not installed (scripts/install-deps.sh --test)"
examples=$SOURCE_DIR/examples
root=$t/root
cmake --install "$BUILD_DIR" --prefix "$root/usr" > /dev/null
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd"
cp "$root/usr/share/doc/heatmap-merge/examples/heatmap-merge.service" \
  "$root/usr/share/doc/heatmap-merge/examples/heatmap-merge.timer" "$root/etc/systemd/system/"
# timers.target, sysinit.target... that the units are ordered against.
cp -R /usr/lib/systemd/system "$root/usr/lib/systemd/"
# --man=no: verify would run man(1), which a minimal system lacks; checked below instead.
verify() {
  systemd-analyze verify --man=no --root="$root" heatmap-merge.service heatmap-merge.timer
}
if ! verify > verify.log 2>&1 || [ -s verify.log ]; then
  echo "systemd-analyze verify:" >&2
  cat verify.log >&2
  exit 1
fi
# The check catches what it should: a misspelled setting, a binary that is not there.
sed -i 's/^Nice=/Nicety=/' "$root/etc/systemd/system/heatmap-merge.service"
verify > typo.log 2>&1 || true
grep -q "Unknown key 'Nicety'" typo.log
cp "$examples/heatmap-merge.service" "$root/etc/systemd/system/"
rm "$root/usr/bin/heatmap-merge"
if verify > missing.log 2>&1; then
  echo "verify passed without the binary" >&2
  exit 1
fi
grep -q 'heatmap-merge is not executable' missing.log

# Documentation=man:NAME(SECTION) pages are installed.
grep -h '^Documentation=' "$examples/heatmap-merge.service" "$examples/heatmap-merge.timer" |
  grep -oE 'man:[^ ]+' | sort -u > pages
test -s pages
while read -r page; do
  name=${page#man:}
  section=${name#*(}
  section=${section%)}
  name=${name%%(*}
  test -s "$root/usr/share/man/man$section/$name.$section.gz" ||
    { echo "no man page $name($section) for Documentation=$page" >&2; exit 1; }
done < pages

# The timer starts the service; the service runs what the cron line runs.
grep -qx 'OnCalendar=\*-\*-\* 03:15:00' "$examples/heatmap-merge.timer"
grep -q '^15 3 \* \* \* ' "$examples/heatmap-merge.cron"
cron_command=$(grep -v '^#' "$examples/heatmap-merge.cron" | cut -d' ' -f6-)
assert_eq "ExecStart=$cron_command" "$(grep '^ExecStart=' "$examples/heatmap-merge.service")" \
  "the service's command"
grep -qx 'Type=oneshot' "$examples/heatmap-merge.service"
