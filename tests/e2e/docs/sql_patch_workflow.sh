# The README's SQL patch workflow, run as written (paths moved into the test directory): the patch
# made from the copies goes into the "live" primary, and the verification step then reports
# nothing to add. The man page's SQL PATCH section shows the same commands.
. "$(dirname "$0")/../common.inc"
readme=$SOURCE_DIR/README.md
# The README's code block that holds the --format sql command, without its comment lines.
awk '/^ *```sh$/ { on = 1; block = ""; next }
     /^ *```$/ { if (on && block ~ /--format sql/) printf "%s", block; on = 0; next }
     on { block = block $0 "\n" }' "$readme" | sed 's/^ *//' | grep -v '^#' > workflow.sh
grep -q -- '--format sql' workflow.sh || { echo "README shows no --format sql command" >&2; exit 1; }
# The replicas as the README names them: consistent copies of both, and the live primary.
mkdir -p srv/gcp tmp
cp primary.db gcp-snap.db
cp secondary.db aws-snap.db
cp primary.db srv/gcp/heatmap.db
sed -e "s|/tmp/|$t/tmp/|g" -e "s|/srv/gcp/|$t/srv/gcp/|g" -e "s|^heatmap-merge |\"\$hm\" |" \
  -e 's|#.*||' workflow.sh > run.sh
hm=$hm sh -eu run.sh > out 2>&1 || { cat out >&2; exit 1; }
# All of the plan's rows went in (60 with the README's --window 2s), none was there before.
grep -q '^heatmap-merge patch: added 60 of its 60 rows, 0 were already there$' out
grep -q 'would add 0 rows' out
# Every command of the README's workflow is in the man page too.
awk '/^\.Sh SQL PATCH$/ { on = 1; next } /^\.Sh / { on = 0 } on' "$SOURCE_DIR/man/heatmap-merge.1" > section
grep -q -- '--format sql gcp-snap.db aws-snap.db > patch.sql' section
grep -q 'sqlite3 /srv/gcp/heatmap.db < patch.sql' section
