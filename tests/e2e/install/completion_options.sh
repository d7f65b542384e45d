# The bash and zsh completions offer every long option that --help lists, and no option that it
# does not: they cannot drift from the tool. Both files are valid shell.
. "$(dirname "$0")/../common.inc"
completions=$SOURCE_DIR/completions
bash_file=$completions/heatmap-merge.bash
zsh_file=$completions/_heatmap-merge
"$hm" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u > help_options
test -s help_options || { echo "no options found in --help" >&2; exit 1; }
# --help and --version, which CLI11 may list apart, are options too.
printf '%s\n' --help --version | sort -u - help_options -o help_options
failed=0
for file in "$bash_file" "$zsh_file"; do
  grep -oE -- '--[a-z][a-z-]+' "$file" | sort -u > offered
  comm -23 help_options offered > missing
  if [ -s missing ]; then
    echo "$(basename "$file") lacks: $(tr '\n' ' ' < missing)" >&2
    failed=1
  fi
  comm -13 help_options offered > extra
  if [ -s extra ]; then
    echo "$(basename "$file") offers what --help does not list: $(tr '\n' ' ' < extra)" >&2
    failed=1
  fi
done
# Every --format that --help lists ("Report format on stdout: text, json ... or html") is
# offered in both, and no other.
"$hm" --help | tr -s ' \n' '  ' |
  grep -oE 'Report format on stdout: [a-z]+(, [a-z]+)*( or [a-z]+)?' | cut -d: -f2 |
  sed 's/ or /, /' | tr -d ' ' | tr ',' '\n' | sort > help_formats
test -s help_formats || { echo "no list of formats found in --help" >&2; exit 1; }
grep -A1 -- '--format)' "$bash_file" | grep -oE "compgen -W '[^']*'" | cut -d"'" -f2 |
  tr ' ' '\n' | sort > bash_formats
grep -oE -- "--format=.*:\([a-z ]+\)'" "$zsh_file" | sed -E 's/.*\(([a-z ]+)\).*/\1/' |
  tr ' ' '\n' | sort > zsh_formats
for shell in bash zsh; do
  if ! cmp -s help_formats "${shell}_formats"; then
    echo "the $shell completion offers other formats than --help lists:" >&2
    diff help_formats "${shell}_formats" >&2 || true
    failed=1
  fi
done
bash -n "$bash_file"
if command -v zsh >/dev/null 2>&1; then
  zsh -n "$zsh_file"
fi
exit $failed
