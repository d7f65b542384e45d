# examples/heatmap-merge.cron is a crontab that cron accepts: installed with crontab for a user,
# `crontab -l` gives it back. Its entry is one line (cron has no `\` continuation: such a line is
# refused, as shown), and the README and the man page's EXAMPLES show that very line.
. "$(dirname "$0")/../common.inc"
example=$SOURCE_DIR/examples/heatmap-merge.cron
grep -v '^#' "$example" > entry
assert_eq 1 "$(wc -l < entry)" "entries in $example"
line=$(cat entry)
# cron_line FILE: the crontab entries for heatmap-merge in FILE, leading blanks removed.
cron_line() {
  sed -E 's/^[[:space:]]+//' "$1" |
    grep -E '^[0-9*,/-]+ +[0-9*,/-]+ +[0-9*,/-]+ +[0-9*,/-]+ +[0-9*,/-]+ +heatmap-merge' || true
}

# The documentation's copies, checked before crontab, which may be missing.
failed=0
cron_line "$SOURCE_DIR/README.md" > readme_line
if [ "$(cat readme_line)" != "$line" ]; then
  echo "README.md's crontab entry is not the one line of examples/heatmap-merge.cron:" >&2
  cat readme_line >&2
  failed=1
fi
mandoc -T ascii "$SOURCE_DIR/man/heatmap-merge.1" | col -b |
  awk '/^EXAMPLES/ { on = 1; next } /^[A-Z]/ { on = 0 } on' > examples_section
test -s examples_section || { echo "the man page has no EXAMPLES" >&2; exit 1; }
cron_line examples_section > man_line
if [ "$(cat man_line)" != "$line" ]; then
  echo "the man page's crontab entry is not the one line of examples/heatmap-merge.cron:" >&2
  cat man_line >&2
  failed=1
fi

command -v crontab >/dev/null 2>&1 ||
  skip "crontab is not installed (scripts/install-deps.sh --test)"
test "$(id -u)" = 0 || skip "installing a crontab for another user needs root"
# The suite's two passes, and other build directories' suites, share the user: one at a time. A
# crontab the user had before is put back.
user=nobody
exec 9> /tmp/heatmap-merge-e2e-crontab-$user.lock
flock 9
if crontab -l -u "$user" > saved 2>/dev/null; then had=1; else had=0; fi
restore() {
  if [ "$had" = 1 ]; then
    crontab -u "$user" saved
  else
    crontab -r -u "$user" 2>/dev/null || true
  fi
}
at_exit restore
crontab -u "$user" "$example"
crontab -l -u "$user" > installed
grep -vE '^#' installed > installed_entries
assert_eq "$line" "$(cat installed_entries)" "the entry crontab -l gives back"
grep -qxF "$(head -1 "$example")" installed

# What the man page once showed: the entry split with `\`. cron refuses it.
{
  echo "${line% /srv/gcp/*} \\"
  echo "    /srv/gcp/heatmap.db /srv/aws/heatmap.db"
} > split.cron
if crontab -u "$user" split.cron 2> split.err; then
  echo "crontab accepted an entry split with \\" >&2
  exit 1
fi
grep -q 'errors in crontab file' split.err
exit $failed
