# The zsh completion, found on $fpath as zsh finds the installed one, completes an option, a
# --format value and a database file in a real interactive zsh (driven through zsh/zpty).
. "$(dirname "$0")/../common.inc"
command -v zsh >/dev/null 2>&1 || skip "zsh is not installed (scripts/install-deps.sh --test)"
mkdir functions
cp "$SOURCE_DIR/completions/_heatmap-merge" functions/
# press_tab LINE WANT: types LINE and TAB, and reads the terminal until WANT shows (10 s at most),
# into completed, escapes removed.
press_tab() {
  cat > drive.zsh <<ZSH
zmodload zsh/zpty
zpty z 'TERM=dumb zsh -f -i'
zpty -w z "PS1='%% '; fpath=($t/functions \\\$fpath); autoload -U compinit; compinit -u -D"
zpty -w z \$'$1\\t'
out=''
for i in {1..40}; do
  sleep 0.25
  while zpty -r -t z line; do out+=\$line; done
  [[ \$out == *'$2'* ]] && break
done
print -r -- "\$out"
zpty -d z
ZSH
  timeout 30 zsh -f drive.zsh | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' > completed
}
# expect LINE COMPLETED: TAB after LINE gives COMPLETED.
expect() {
  press_tab "$1" "$2"
  if ! grep -qF "% $2" completed; then
    echo "TAB after '$1' did not give '$2':" >&2
    cat completed >&2
    exit 1
  fi
}
expect 'heatmap-merge --win' 'heatmap-merge --window='
expect 'heatmap-merge -n --format=j' 'heatmap-merge -n --format=json'
expect 'heatmap-merge -n day-p' 'heatmap-merge -n day-primary.db'
expect 'heatmap-merge --in-place --backup-dir=fun' \
  'heatmap-merge --in-place --backup-dir=functions/'
