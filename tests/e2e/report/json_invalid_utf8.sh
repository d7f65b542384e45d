# A page URL that is not valid UTF-8 (from a damaged or hostile database) does not break the JSON
# report: it is printed with U+FFFD in place of the bad bytes (found by fuzzing).
. "$(dirname "$0")/../common.inc"
sqlite3 secondary.db "INSERT INTO click_events (page_url, x, y, created_at)
                      VALUES (CAST(X'2F6B61F6' AS TEXT), 1, 2, '2026-02-18 12:00:00')"
$hm -n --format json primary.db secondary.db > report.json
grep -q '"rows_added": 66' report.json
grep -q "\"page\": \"/ka$(printf '\357\277\275')\"" report.json
