# examples/heatmap-merge.toml, the config file of the cron and systemd examples, works as shipped:
# pointed at the sample replicas (its /srv paths moved under the test directory), the cron line's
# own command merges them, quietly, and runs again the next night over its output (force). Its
# commented-out defaults are valid too, and every key is a long option of --help.
. "$(dirname "$0")/../common.inc"
examples=$SOURCE_DIR/examples
mkdir -p gcp aws merged
cp primary.db gcp/heatmap.db
cp secondary.db aws/heatmap.db
# at_home FILE: FILE with /srv/ and /etc/ moved into the test directory.
at_home() {
  sed -e "s#/srv/#$t/#g" -e "s#/etc/heatmap-merge.toml#$t/heatmap-merge.toml#g" "$1"
}
at_home "$examples/heatmap-merge.toml" > heatmap-merge.toml
grep -q "^output = \"$t/merged/heatmap.db\"\$" heatmap-merge.toml

# Only `key = value` lines, comments and blank lines; every key a long option.
"$hm" --help > help
grep -vE '^(#.*)?$' heatmap-merge.toml > settings
test -s settings
while read -r key equals value; do
  assert_eq "=" "$equals" "a key = value line: $key $equals $value"
  grep -qE -- "--$key([ ,=]|\$)" help || { echo "$key is not an option of --help" >&2; exit 1; }
done < settings

# The cron line's command (after its five time fields), as cron's sh would run it.
command=$(at_home "$examples/heatmap-merge.cron" | grep -v '^#' | cut -d' ' -f6-)
case $command in "heatmap-merge --config $t/heatmap-merge.toml "*) ;;
  *) echo "unexpected cron command: $command" >&2; exit 1 ;;
esac
mkdir bin
ln -s "$hm" bin/heatmap-merge
PATH="$t/bin:$PATH" sh -c "$command" > out 2> err
test ! -s out || { echo "quiet = true, yet it printed:" >&2; cat out >&2; exit 1; }
test ! -s err || { cat err >&2; exit 1; }
# window = "2s" folds the failover retries: the same rows as config/file.sh's nightly run.
assert_eq 460 "$(rows merged/heatmap.db)" "rows in the merged database"
# The next night: the output exists, force = true replaces it.
PATH="$t/bin:$PATH" sh -c "$command"
assert_eq 460 "$(rows merged/heatmap.db)" "rows after the second night"

# The defaults shown as comments are valid settings, and the same merge.
sed -E 's/^# ([a-z-]+ = .*)$/\1/' heatmap-merge.toml > defaults.toml
test "$(grep -cvE '^(#.*)?$' defaults.toml)" -gt "$(wc -l < settings)"
sed -i "s#$t/merged/heatmap.db#$t/merged/defaults.db#" defaults.toml
"$hm" --config defaults.toml gcp/heatmap.db aws/heatmap.db
assert_eq 460 "$(rows merged/defaults.db)" "rows with the defaults spelled out"
no_leftovers
