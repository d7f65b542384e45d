# bash completion for heatmap-merge(1)                                     -*- shell-script -*-
# Installed as share/bash-completion/completions/heatmap-merge, which bash-completion loads the
# first time heatmap-merge is completed. Every long option of --help must be here
# (tests/e2e/install/completion_options.sh).

# _init_completion sets words and cword; compgen's words hold no blanks.
# shellcheck disable=SC2034,SC2207
_heatmap_merge() {
  local cur prev words cword split
  _init_completion -s || return

  case $prev in
    -h | --help | --version)
      return
      ;;
    -o | --output)
      _filedir
      return
      ;;
    --config)
      _filedir '@(toml|ini|conf)'
      return
      ;;
    --backup-dir)
      _filedir -d
      return
      ;;
    --format)
      COMPREPLY=($(compgen -W 'text json markdown html summary sql' -- "$cur"))
      return
      ;;
    # Free values (names, durations, sizes): nothing to offer but the user's own.
    --table | --time-column | --key | --window | --replay-window | --lock-timeout | \
      --max-lock-hold | \
      --memory-limit | \
      --keep-backups)
      return
      ;;
  esac
  $split && return

  if [[ $cur == -* ]]; then
    local options='--output --force --in-place --alter-live-table --backup-dir --keep-backups --peers
      --dry-run --exit-code --no-verify --table --time-column --key --window --replay-window
      --remove-replays --lock-timeout
      --max-lock-hold --memory-limit --format --quiet --verbose --config --version --help -o -f -n -q -v -h'
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi

  # PRIMARY and SECONDARY databases: any file, since replicas are not always named *.db.
  _filedir
} &&
  complete -F _heatmap_merge heatmap-merge

# ex: filetype=sh
