# The documentation and --help name the same options: every long option that --help lists is an
# item of the man page's OPTIONS, every item of OPTIONS is an option --help lists (none renamed or
# dropped behind the page's back), and every long option the README and the man page's examples
# use exists.
. "$(dirname "$0")/../common.inc"
page=$SOURCE_DIR/man/heatmap-merge.1
readme=$SOURCE_DIR/README.md
failed=0
fail() {
  echo "docs: $*" >&2
  failed=1
}
section() {
  awk -v want=".Sh $1" '$0 == want { on = 1; next } /^\.Sh / { on = 0 } on' "$page"
}

$hm --help > help
grep -oE -- '--[a-z][a-z-]+' help | sort -u > help_options
test -s help_options || { echo "no options found in --help" >&2; exit 1; }

# --help -> OPTIONS.
section OPTIONS > options_section
test -s options_section || fail "no OPTIONS section"
while read -r option; do
  grep -qE "^\.It .*Fl Fl ${option#--}( |$)" options_section || fail "$option is not in OPTIONS"
done < help_options

# OPTIONS -> --help: the long options the items name (".It Fl o Ar path , Fl Fl output ...").
grep -E '^\.It .*Fl Fl ' options_section | grep -oE 'Fl Fl [a-z][a-z-]+' | sed 's/^Fl Fl /--/' |
  sort -u > page_options
test -s page_options || fail "no long option items in OPTIONS"
comm -23 page_options help_options > stale
while read -r option; do
  fail "OPTIONS describes $option, which --help does not list"
done < stale

# The commands the README's code blocks and the man page's DESCRIPTION and EXAMPLES show.
awk '/^ *```/ { on = !on; next } on' "$readme" > readme_code
{ section DESCRIPTION; section EXAMPLES; } | grep -vE '^\.' > page_code
for code in readme_code page_code; do
  grep -E '(^|[ #])heatmap-merge ' "$code" | grep -oE -- ' --[a-z][a-z-]+' | tr -d ' ' |
    sort -u > used
  comm -23 used help_options > unknown
  while read -r option; do
    fail "$option in a command of ${code%_code} is not an option of --help"
  done < unknown
done
# A command of README's blocks: a line that runs heatmap-merge, not sqlite3 or scp.
grep -qE '^ *(15 3 .* )?heatmap-merge ' readme_code || fail "no heatmap-merge command in README's code"
exit $failed
