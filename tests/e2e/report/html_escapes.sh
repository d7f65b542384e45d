# --format html escapes every string from the databases: a hostile page URL, a hostile value and
# a file name with & show as text, never as markup.
. "$(dirname "$0")/../common.inc"
cp day-secondary.db 'east&west.db'
# The outage rows (only on the secondary, so they are added, listed and sampled) get the payloads.
sqlite3 'east&west.db' "UPDATE click_events SET page_url = '<script>alert(1)</script>',
  user_agent = '\"><b onmouseover=alert(2)>'
  WHERE created_at >= '2026-03-02 02:00' AND created_at < '2026-03-02 19:30'"
$hm -n -v --format html day-primary.db 'east&west.db' > report.html 2>/dev/null
for raw in '<script>alert(1)</script>' '"><b onmouseover=alert(2)>' 'east&west.db' '<script'; do
  if grep -qF "$raw" report.html; then
    echo "unescaped in the page: $raw" >&2
    exit 1
  fi
done
# Escaped in the pages table, the heat picture's caption and the samples.
for place in '<td class="path"><code>' '<figcaption><code>' '<td class="v">'; do
  grep -qF "$place&lt;script&gt;alert(1)&lt;/script&gt;<" report.html ||
    { echo "escaped page URL missing after $place" >&2; exit 1; }
done
grep -qF '&quot;&gt;&lt;b onmouseover=alert(2)&gt;' report.html
grep -qF '<code>east&amp;west.db</code>' report.html
