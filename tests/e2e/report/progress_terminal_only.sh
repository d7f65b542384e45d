# Progress goes to stderr only when stderr is a terminal: with a pseudo-terminal it shows the
# phases; into a file or pipe (cron mail) stderr stays empty.
. "$(dirname "$0")/../common.inc"
HEATMAP_MERGE_PROGRESS_DELAY_MS=0 $hm primary.db secondary.db -o piped.db > report 2> stderr
assert_eq 0 "$(wc -c < stderr)" "stderr bytes without a terminal"
# script(1) runs the command on a pseudo-terminal; the delay 0 makes a short run show progress.
HEATMAP_MERGE_PROGRESS_DELAY_MS=0 script -qec \
  "$hm primary.db secondary.db -o tty.db --window 2s" /dev/null > typescript
grep -q 'heatmap-merge: \(reading\|planning\|writing\|flushing\)' typescript
assert_eq 460 "$(rows tty.db)" "rows out"
