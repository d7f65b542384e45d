# Triggers on the target table never fire for the rows the tool adds, in any mode (-o,
# --in-place, the SQL patch), and every run warns of them, naming them: a per-page count that a
# trigger keeps must be recomputed after the merge.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
sqlite3 primary.db "CREATE TABLE page_counts(page_url TEXT PRIMARY KEY, n INTEGER);
  INSERT INTO page_counts SELECT page_url, count(*) FROM click_events GROUP BY page_url;
  CREATE TRIGGER count_clicks AFTER INSERT ON click_events BEGIN
    INSERT INTO page_counts VALUES (new.page_url, 1)
      ON CONFLICT (page_url) DO UPDATE SET n = n + 1;
  END;"
counts() {
  sqlite3 "$1" "SELECT sum(n) FROM page_counts"
}
assert_eq 400 "$(counts primary.db)" "counts before"
warned() {
  grep -q 'warning: the table "click_events" of [a-z]*.db has 1 trigger ("count_clicks"), which does not fire for the rows heatmap-merge adds' "$1" ||
    { echo "no trigger warning in $1:" >&2; cat "$1" >&2; exit 1; }
}
# A dry run, -o, and -q -o (the warning is for cron mail too).
$hm -n primary.db secondary.db > report 2> log
warned log
$hm -o out.db primary.db secondary.db > report 2> log
warned log
assert_eq 465 "$(rows out.db)" "rows in the output"
assert_eq 400 "$(counts out.db)" "counts in the output"
$hm -q -o out2.db primary.db secondary.db > report 2> log
warned log
# The patch warns in its header, and the shell fires no trigger either.
cp primary.db patched.db
make_patch patch.sql patched.db secondary.db 2> log
warned log
grep -q '^-- warning: .*count_clicks' patch.sql
apply_patch patched.db patch.sql
assert_eq 465 "$(rows patched.db)" "rows in the patched primary"
assert_eq 400 "$(counts patched.db)" "counts in the patched primary"
# --in-place.
$hm --in-place primary.db secondary.db > report 2> log
warned log
assert_eq 465 "$(rows primary.db)" "rows in the primary"
assert_eq 400 "$(counts primary.db)" "counts in the primary"
