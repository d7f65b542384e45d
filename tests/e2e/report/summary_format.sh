# --format summary: one line on stdout for logs and cron mail, "would add" in a dry run; file
# names made terminal-safe; nothing with -q.
. "$(dirname "$0")/../common.inc"
$hm -n --window 2s --format summary primary.db secondary.db > summary
assert_eq 1 "$(wc -l < summary)" "lines"
grep -qx 'heatmap-merge: would add 60 rows to primary.db from secondary.db (245 duplicates, 1 conflict) in [0-9]*\.[0-9]s (dry run)' summary
$hm --window 2s --format summary -o out.db primary.db secondary.db > summary
grep -qx 'heatmap-merge: 60 rows added to out.db from secondary.db (245 duplicates, 1 conflict) in [0-9]*\.[0-9]s' summary
cp secondary.db other.db
$hm --format summary -o two.db primary.db secondary.db other.db > summary
grep -qx 'heatmap-merge: 65 rows added to two.db from secondary.db, other.db (545 duplicates, 2 conflicts) in [0-9]*\.[0-9]s' summary
# In place, with the backup; then nothing to add.
cp primary.db live.db
$hm --in-place --window 2s --format summary live.db secondary.db > summary 2> log
grep -qx 'heatmap-merge: 60 rows added to live.db in place from secondary.db (245 duplicates, 1 conflict; backup .*/live.db.backup-[0-9T]*Z) in [0-9]*\.[0-9]s' summary
$hm -n --in-place --window 2s --format summary live.db secondary.db > summary
grep -qx 'heatmap-merge: would add 0 rows to live.db in place from secondary.db (305 duplicates, 1 conflict) in [0-9]*\.[0-9]s (dry run)' summary
# A file name with an escape sequence and a newline is shown escaped, on one line.
name=$(printf 'x\033[2J\nforged.db')
cp secondary.db "$name"
$hm -n --format summary primary.db "$name" > summary
assert_eq 1 "$(wc -l < summary)" "lines"
lacks "$(printf '\033')" summary
grep -qF 'from x\x1b[2J\x0aforged.db (' summary
test -z "$($hm -n -q --format summary primary.db secondary.db)"
