# Rows whose every column holds hostile values (quotes, ;, --, NUL, ESC, newlines, invalid UTF-8,
# U+202E, BLOBs, the empty BLOB, INT64's extremes, reals that decimals cannot spell, infinity,
# -0.0, 1.0 in an untyped column, NULL) arrive through the patch byte for byte, the same as -o's;
# the patch itself holds no control byte but newlines, and the primary's last row (which the
# patch checks) is hostile too.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
rm -f primary.db secondary.db
# A column of no type takes any value as it is, and its name is hostile too.
extra="\"it's \"\"x\"\"; --\""
cat > hostile.sql <<'SQL'
(CAST(X'273B2044524F50205441424C4520636C69636B5F6576656E74733B202D2D' AS TEXT), 'x'';--', X'00FF',
 -9223372036854775808, 9223372036854775807, NULL, CAST(X'6E756C00696E73696465' AS TEXT),
 '2026-02-18T10:00:01.000000', 0.1),
(CAST(X'1B5D303B7469746C65071B5B324A' AS TEXT), 1e308, -0.0, X'', 1.5, 'text',
 'line' || char(10) || 'break' || char(13) || char(9) || char(127), '2026-02-18T10:00:02', -0.0),
(CAST(X'FFFE696E76616C6964' AS TEXT), 5e-324, 0.30000000000000004, NULL, NULL, NULL,
 char(8238) || 'gpj.exe', CAST(X'323032362D30322D31385431303A30303A303300' AS TEXT), 1.0),
('/* -- */ ;', -1e308, 1e-300, 1, 2, 3, X'DEADBEEF', '2026-02-18 10:00:04;--', X''),
(X'2F00', 9e999, -9e999, 0, 0, 0, NULL, X'323032362D30322D31382031303A30303A3035', 9223372036854775807),
(char(1, 2, 3, 127, 128, 159), CAST(X'61003B' AS TEXT), 2.2250738585072014e-308, -0, 1e19, 0.5,
 char(10) || '.shell touch pwned' || char(10) || '.bail off', '''; --', CAST(X'C0AF' AS TEXT)),
('''', '--', ';', '''', '"', '\', '', char(10), 6.757827084734085e-307),
('/q', 7.2395e-12, 123456.789, 1.0, -1.5, 4.9e-324, 'ua', '2026-02-18T10:00:07Z', 1e-7),
(X'', X'', X'', X'', X'', X'', X'', X'', NULL),
(CAST(X'' AS TEXT), '', '', '', '', '', CAST(X'00' AS TEXT), CAST(X'0A' AS TEXT), '')
SQL
for db in primary.db secondary.db; do
  sqlite3 "$db" < "$testdata/schema.sql"
  sqlite3 "$db" "ALTER TABLE click_events ADD COLUMN $extra;
    INSERT INTO click_events (page_url, x, y, created_at) VALUES ('/', 1, 2, '2026-02-18 09:00:00');"
done
columns="page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent, created_at, $extra"
sqlite3 secondary.db "INSERT INTO click_events ($columns) VALUES $(cat hostile.sql)"
# The primary ends with a hostile row of its own (its row R), one the secondary lacks.
sqlite3 primary.db "INSERT INTO click_events ($columns) VALUES
  (CAST(X'27003B0A1B' AS TEXT), 5e-324, 6.757827084734085e-307, X'', 9e999, NULL,
   CAST(X'FF' AS TEXT), CAST(X'00' AS TEXT), -0.0)"
make_patch patch.sql primary.db secondary.db
$hm primary.db secondary.db -o out.db > /dev/null
assert_eq 12 "$(rows out.db)" "rows -o writes"
# No raw control byte in the patch but newlines (a reviewer may cat it to a terminal).
if LC_ALL=C tr -d '\n' < patch.sql | LC_ALL=C grep -q '[[:cntrl:]]'; then
  echo "the patch holds control bytes:" >&2
  LC_ALL=C grep -n '[[:cntrl:]]' patch.sql | head -5 | od -c | head -20 >&2
  exit 1
fi
# Nor, here, any byte beyond ASCII: every such text above is invalid, a control or U+202E, and
# goes as its bytes, CAST(X'..' AS TEXT).
if LC_ALL=C grep -q '[^ -~]' patch.sql; then
  echo "the patch holds bytes beyond ASCII:" >&2
  LC_ALL=C grep -n '[^ -~]' patch.sql | head -5 >&2
  exit 1
fi
cp primary.db target.db
apply_patch target.db patch.sql
assert_eq 10 "$(added_by_patch)" "rows added"
same_rows target.db out.db "hostile values"
test ! -e pwned
assert_eq ok "$(sqlite3 target.db 'PRAGMA integrity_check')" "integrity"
# Again: nothing more, the hostile rows are found as already there.
apply_patch target.db patch.sql
assert_eq 0 "$(added_by_patch)" "rows added the second time"
same_rows target.db out.db "hostile values, applied twice"
