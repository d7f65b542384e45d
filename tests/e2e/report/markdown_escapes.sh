# --format markdown shows a page URL or a file name with a pipe, backticks and HTML as a code span
# that holds all of it: the table keeps its columns, and nothing becomes markup.
. "$(dirname "$0")/../common.inc"
cp secondary.db 'se|c`ond.db'
# Row 241 is a row the secondary adds: its page is listed.
sqlite3 'se|c`ond.db' "UPDATE click_events SET page_url = 'a|b\`<script>x</script>|' WHERE id = 241"
$hm -n --format markdown primary.db 'se|c`ond.db' > report.md
# The fence is longer than any run of backticks inside; every pipe inside is escaped.
grep -qF '| ``a\|b`<script>x</script>\|`` | 1 |' report.md
grep -qF '| ``se\|c`ond.db`` | secondary | 305 |' report.md
# Every row of every table has as many unescaped pipes as its header.
awk '/^\|/ {
  line = $0
  gsub(/\\\|/, "", line)
  pipes = gsub(/\|/, "", line)
  if (!in_table) { want = pipes; in_table = 1 }
  if (pipes != want) { print "a row with " pipes " pipes, not " want ": " $0; bad = 1 }
  next
}
{ in_table = 0 }
END { exit bad }' report.md >&2
