# The bash completion, loaded as bash-completion loads it, completes `heatmap-merge --win` to
# --window, the values of --format, and database file names.
. "$(dirname "$0")/../common.inc"
command -v bash >/dev/null 2>&1 || skip "bash is not installed"
test -r /usr/share/bash-completion/bash_completion ||
  skip "bash-completion is not installed (scripts/install-deps.sh --test)"
cat > complete.bash <<BASH
. /usr/share/bash-completion/bash_completion
. "$SOURCE_DIR/completions/heatmap-merge.bash"
# offers WORD...: what completing the last WORD offers, one a line, as bash does on TAB.
offers() {
  COMP_WORDS=("\$@")
  COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1))
  COMP_LINE="\$*"
  COMP_POINT=\${#COMP_LINE}
  COMPREPLY=()
  _heatmap_merge heatmap-merge "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
  if [ \${#COMPREPLY[@]} -gt 0 ]; then printf '%s\n' "\${COMPREPLY[@]}"; fi
}
complete -p heatmap-merge
BASH
# check WHAT EXPECTED WORD...: completing the last WORD offers exactly EXPECTED (one a line).
check() {
  what=$1
  expected=$2
  shift 2
  printf 'offers %s\n' "$*" > run.bash
  got=$(bash -c ". ./complete.bash >/dev/null; . ./run.bash")
  assert_eq "$expected" "$got" "$what"
}
bash complete.bash | grep -qx 'complete -F _heatmap_merge heatmap-merge'
check "heatmap-merge --win" "--window" heatmap-merge --win
check "heatmap-merge --fo" "$(printf -- '--force\n--format')" heatmap-merge -n --fo
check "heatmap-merge --format j" "json" heatmap-merge -n --format j
check "heatmap-merge --format=m" "markdown" heatmap-merge -n --format=m
# All of them: install/completion_options.sh checks the list against --help.
printf "offers heatmap-merge -n --format ''\n" > run.bash
bash -c ". ./complete.bash >/dev/null; . ./run.bash" > formats
grep -qx text formats
grep -qx html formats
check "heatmap-merge day-" "$(printf 'day-primary.db\nday-secondary.db')" heatmap-merge -n day-
check "heatmap-merge --window 2" "" heatmap-merge --window 2
check "heatmap-merge --backup-dir (directories only)" "" heatmap-merge --in-place --backup-dir day-
mkdir backups
check "heatmap-merge --backup-dir b" "backups" heatmap-merge --in-place --backup-dir b
