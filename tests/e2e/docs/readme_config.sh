# The README's config file, copied as written (paths moved into the test directory), is one
# `key = value` a line and runs the nightly job it describes: the merged file written, nothing
# printed on success; the man page's EXAMPLES show the same file.
. "$(dirname "$0")/../common.inc"
readme=$SOURCE_DIR/README.md
# The ```toml block of the README.
awk '/^```toml$/ { on = 1; next } /^```/ { on = 0 } on' "$readme" > readme.toml
test -s readme.toml || { echo "README has no \`\`\`toml block" >&2; exit 1; }
# One setting a line: no line holds two `=`.
if grep -E '=.*=' readme.toml; then
  echo "README's config puts two settings on one line" >&2
  exit 1
fi
grep -q '^output = "/srv/merged/heatmap.db"$' readme.toml
mkdir merged
sed "s|/srv/merged/|$t/merged/|" readme.toml > nightly.toml
$hm --config nightly.toml primary.db secondary.db > out 2>&1
test ! -s out || { echo "the quiet nightly job printed:" >&2; cat out >&2; exit 1; }
test "$(rows merged/heatmap.db)" -gt "$(rows primary.db)"
# Run again: force = true replaces the file.
$hm --config nightly.toml primary.db secondary.db
# The man page's EXAMPLES show the same settings, one a line.
awk '/^\.Sh EXAMPLES$/ { on = 1; next } /^\.Sh / { on = 0 } on' "$SOURCE_DIR/man/heatmap-merge.1" > examples
grep -vE '^#' readme.toml | while read -r line; do
  grep -qxF "$line" examples || { echo "man page EXAMPLES lack the README's line: $line" >&2; exit 1; }
done
