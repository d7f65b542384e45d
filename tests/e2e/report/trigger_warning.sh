# Every report format carries the warning about the target table's triggers, which no mode fires
# (text, markdown, html, summary, and json's "triggers" and "trigger_warning"); a trigger's name
# comes from the database and is escaped like any other data.
. "$(dirname "$0")/../common.inc"
sqlite3 primary.db "CREATE TABLE page_counts(page_url TEXT PRIMARY KEY, n INTEGER);
  CREATE TRIGGER \"<b>count</b>\" AFTER INSERT ON click_events BEGIN
    INSERT INTO page_counts VALUES (new.page_url, 1)
      ON CONFLICT (page_url) DO UPDATE SET n = n + 1;
  END;"
for format in text markdown summary; do
  $hm -n --format "$format" primary.db secondary.db > "report.$format" 2> /dev/null
  grep -q 'trigger' "report.$format" || { echo "no trigger warning in $format:" >&2; cat "report.$format" >&2; exit 1; }
done
$hm -n --format html primary.db secondary.db > report.html 2> /dev/null
grep -q 'has 1 trigger (.*&lt;b&gt;count&lt;/b&gt;' report.html
lacks '<b>count' report.html
$hm -n --format json primary.db secondary.db > report.json 2> /dev/null
assert_eq '["<b>count</b>"]' "$(jq -c .triggers report.json)" "json triggers"
jq -e '.trigger_warning | test("which does not fire")' report.json > /dev/null
# No trigger, no warning.
$hm -n --format json secondary.db primary.db > plain.json 2> /dev/null
assert_eq '[] null' "$(jq -c '.triggers, .trigger_warning' plain.json | tr '\n' ' ' | sed 's/ $//')" "json without triggers"
