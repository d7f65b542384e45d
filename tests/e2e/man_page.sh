# The man page is lint-clean, documents every long option --help lists, and every exit code.
. "$(dirname "$0")/common.inc"
page=$SOURCE_DIR/man/heatmap-merge.1
mandoc -T lint -W warning "$page" > lint 2>&1 || true
assert_eq "" "$(cat lint)" "mandoc -T lint"
$hm --help | grep -oE -- '--[a-z][a-z-]+' | sort -u > options
test -s options
while read -r option; do
  grep -qF -- "${option#--}" "$page" || { echo "$option is not in the man page" >&2; exit 1; }
done < options
sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$page" > exit_status
grep -oE '= [0-9]+,' "$SOURCE_DIR/include/heatmap_merge/error.hpp" | tr -d '=, ' > codes
test -s codes
while read -r code; do
  grep -q "^\.It $code$" exit_status || { echo "exit $code is not in EXIT STATUS" >&2; exit 1; }
done < codes
