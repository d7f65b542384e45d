# The command line wins over a --config file, options that exclude each other included: with the
# README's nightly config (output, force, quiet), -v or --in-place on the command line runs as
# asked and drops the file's quiet, or its output and force (and what needs them). An error that
# comes from a value in the file names the file and the line.
. "$(dirname "$0")/../common.inc"
cat > nightly.toml <<'TOML'
# heatmap-merge, nightly consolidation
output = "merged.db"
force = true
window = "2s"
quiet = true
TOML
# -v wins over quiet: the report is printed, and the file's output is written.
$hm --config nightly.toml -v primary.db secondary.db > report 2> log
grep -q 'merged.db' report
assert_eq 460 "$(rows merged.db)" "rows in the config's output"
# --in-place wins over output and force: the primary gets the rows, no output is written.
rm merged.db
cp primary.db live.db
$hm --config nightly.toml --in-place live.db secondary.db > report 2> log
assert_eq 460 "$(rows live.db)" "rows in the primary"
test ! -e merged.db
# quiet still comes from the file: it excludes nothing on the command line.
test ! -s report
# A config file for --in-place, with the backups it keeps; -o on the command line wins, and the
# file's keep-backups, which needs --in-place, goes with it.
cat > in-place.toml <<'TOML'
in-place = true
keep-backups = 2
backup-dir = "backups"
TOML
$hm --config in-place.toml -o out.db primary.db secondary.db > report 2> log
assert_eq 465 "$(rows out.db)" "rows in the command line's output"
ls -A | grep -q '^primary.db.backup-' && { echo "a backup was written" >&2; exit 1; }
# Settings of one file that exclude each other: refused, naming the file and both lines.
printf 'output = "x.db"\nin-place = true\n' > both.toml
expect_exit 64 $hm --config both.toml primary.db secondary.db
grep -q 'both.toml:2: ' err
grep -q 'line 1' err
# A setting that needs another the file lacks: the file and the line.
printf 'dry-run = true\nkeep-backups = 3\n' > needs.toml
expect_exit 64 $hm --config needs.toml primary.db secondary.db
grep -q 'needs.toml:2: ' err
grep -q 'in-place' err
# A value that only the run refuses (output "-") names the file and the line too.
printf 'window = "2s"\noutput = "-"\n' > dash.toml
expect_exit 64 $hm --config dash.toml primary.db secondary.db
grep -q 'dash.toml:2: ' err
