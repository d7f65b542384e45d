# A numeric time column (epoch seconds on one node, milliseconds on the other) is matched by
# instant, exactly and within a window.
. "$(dirname "$0")/../common.inc"
for db in a.db b.db; do
  sqlite3 $db "CREATE TABLE click_events (id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_url TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, ts NUMERIC NOT NULL)"
done
sqlite3 a.db "INSERT INTO click_events (page_url, x, y, ts) VALUES
  ('/', 1, 1, 1771408800), ('/', 2, 2, 1771408801.5), ('/', 3, 3, 1771408802)"
sqlite3 b.db "INSERT INTO click_events (page_url, x, y, ts) VALUES
  ('/', 1, 1, 1771408800000), ('/', 2, 2, 1771408801500), ('/', 3, 3, 1771408803300),
  ('/', 4, 4, 1771408804000)"
$hm --time-column ts a.db b.db -o exact.db > /dev/null
assert_eq 5 "$(rows exact.db)" "exact: the 1.3 s late copy and the new click are added"
$hm --time-column ts --window 1500ms a.db b.db -o window.db > /dev/null
assert_eq 4 "$(rows window.db)" "window: only the new click is added"
