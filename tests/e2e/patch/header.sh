# The patch's header comment names the tool, SQLite, the inputs with their rows, the window and
# the plan; input names holding a newline, SQL or terminal escapes stay inside it, escaped: the
# patch still applies, and nothing else runs.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
primary=$(printf 'p\033]0;t\007\n.shell touch pwned\n.db')
secondary=$(printf 'x\nDROP TABLE click_events;--.db')
mv primary.db "$primary"
mv secondary.db "$secondary"
make_patch patch.sql "$primary" "$secondary"
# Everything before the first dot command is comment.
sed '/^\.bail on$/,$d' patch.sql > header
test "$(wc -l < header)" -gt 10
if grep -v '^--' header; then
  echo "the header holds lines that are not comments" >&2
  exit 1
fi
version=$($hm --version)
grep -q "^-- Made by $version from snapshots taken [0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]\{8\} UTC:\$" header
grep -q -F -x -- '--   primary     p\x1b]0;t\x07\x0a.shell touch pwned\x0a.db: 400 rows, last row id 400' header
grep -q -F -x -- '--   secondary   x\x0aDROP TABLE click_events;--.db: 305 rows, adds 65 (240 duplicates, 1 conflict)' header
grep -q -F -x -- '-- Window: exact; table "click_events"; time column "created_at"' header
grep -q -F -x -- '-- Plan: 65 rows to add, in 1 transaction' header
grep -q -F -- 'Not to p\x1b]0;t\x07\x0a.shell touch pwned\x0a.db, the file it was made from' header
if LC_ALL=C tr -d '\n' < patch.sql | LC_ALL=C grep -q '[[:cntrl:]]'; then
  echo "the patch holds control bytes" >&2
  exit 1
fi
apply_patch "$primary" patch.sql
assert_eq 65 "$(added_by_patch)" "rows added"
assert_eq 465 "$(rows "$primary")" "rows in the primary"
test ! -e pwned
# The window, as people read it.
make_patch window.sql --window 1500ms "$primary" "$secondary"
grep -q -F -x -- '-- Window: 1.5s; table "click_events"; time column "created_at"' window.sql
