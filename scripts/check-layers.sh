#!/bin/sh
# The layering rule of src/ (src/README.md), checked: a folder includes only its own headers and
# those of the folders below it, in this order, from the bottom:
#
#   util  sqlite_format  spill  plan  read  write  report  pipeline  cli  app
#
# Prints each include that points up (or into a folder not in the list) as FILE:LINE: and exits
# 1; exits 0 when there is none. Run by scripts/test.sh, so by .ci/run.
#
#   scripts/check-layers.sh [SOURCE_DIR]
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
layers="util sqlite_format spill plan read write report pipeline cli app"

# rank LAYER: its place from the bottom, 0 if it is not a layer.
rank() {
  i=1
  for layer in $layers; do
    [ "$layer" = "$1" ] && { echo "$i"; return; }
    i=$((i + 1))
  done
  echo 0
}

status=0
for dir in "$root"/src/*/; do
  from=$(basename "$dir")
  from_rank=$(rank "$from")
  if [ "$from_rank" = 0 ]; then
    echo "src/$from/: a folder that is not a layer; add it to the list in $0 and src/README.md"
    status=1
    continue
  fi
  for file in "$dir"*.cpp "$dir"*.hpp; do
    [ -e "$file" ] || continue
    # Each quoted include: its line number and the folder it names.
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" |
      sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' > "${TMPDIR:-/tmp}/check-layers.$$"
    while read -r line target; do
      case $target in
      */*) to=${target%%/*} ;;
      *)
        echo "src/$from/$(basename "$file"):$line: \"$target\": name the folder (\"$from/$target\")"
        status=1
        continue
        ;;
      esac
      to_rank=$(rank "$to")
      if [ "$to_rank" = 0 ]; then
        echo "src/$from/$(basename "$file"):$line: \"$target\": $to is not a layer"
        status=1
      elif [ "$to_rank" -gt "$from_rank" ]; then
        echo "src/$from/$(basename "$file"):$line: \"$target\": $from may not include $to, a layer above it"
        status=1
      fi
    done < "${TMPDIR:-/tmp}/check-layers.$$"
    rm -f "${TMPDIR:-/tmp}/check-layers.$$"
  done
done
[ "$status" = 0 ] && echo "layers: every include of src/ points down or across"
exit "$status"
