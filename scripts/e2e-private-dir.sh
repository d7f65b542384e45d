#!/bin/sh
# Usage: scripts/e2e-private-dir.sh [BUILD_DIR]   (default build)
# Runs the end-to-end tests that run the tool as another user (nobody, as root) from a copy of
# the checkout and of BUILD_DIR's binary inside a private directory (mode 700, as /root is), with
# their scratch directories there too: as from a clone below a private home (issue 30). Each must
# pass, or skip with its reason; a test that runs as nobody but is not selected here is a bug.
set -eu
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
test -x "$build/heatmap-merge" || { echo "$build/heatmap-merge is not built" >&2; exit 1; }

private=$(mktemp -d /tmp/heatmap-merge-private.XXXXXX)
chmod 700 "$private"
trap 'rm -rf "$private"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# The working tree as it is, committed or not, without Git's data and the build directories
# (.gitignore's /build*/): the scripts, fixtures and documents that the tests read.
mkdir "$private/src" "$private/bin"
tar -cf - --exclude=./.git --exclude='./build*' . | tar -xf - -C "$private/src"
cp "$build/heatmap-merge" "$private/bin/heatmap-merge"

# Every test that can change user, by the words that do it: a later one is selected too.
# The scripts are tests/e2e/AREA/NAME.sh; the helpers they source (*.inc) are not tests.
tests=$(grep -rlE --include='*.sh' \
  'as_other_user|setpriv|runuser|reuid|65534|nobody|sudo|(^|[^[:alnum:]_-])su ' \
  "$private/src/tests/e2e" | sort)
failed=0
for script in $tests; do
  # AREA.NAME, as CTest (e2e.AREA.NAME) and common.inc name it: two areas may hold a NAME.sh.
  name=$(basename "$(dirname "$script")").$(basename "$script" .sh)
  status=0
  HEATMAP_MERGE=$private/bin/heatmap-merge LIVE_WRITER=$build/tests/live_writer \
    TESTDATA=$private/src/testdata SOURCE_DIR=$private/src BUILD_DIR=$build \
    E2E_TMP=$private/e2e-tmp sh "$script" > "$private/$name.log" 2>&1 || status=$?
  case $status in
    0) echo "e2e-private-dir: $name passed" ;;
    77) echo "e2e-private-dir: $name skipped: $(tail -n 1 "$private/$name.log")" ;;
    *)
      echo "e2e-private-dir: $name FAILED (exit $status):" >&2
      cat "$private/$name.log" >&2
      failed=1
      ;;
  esac
done
exit $failed
