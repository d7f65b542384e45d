# Several secondaries are folded in order, each against everything merged before it: an outage
# click present on two secondaries ends up once.
. "$(dirname "$0")/../common.inc"
cp secondary.db secondary-copy.db
sqlite3 secondary-copy.db "INSERT INTO click_events (page_url, x, y, created_at)
                           VALUES ('/only-here', 1, 2, '2026-02-18 12:00:00')"
$hm primary.db secondary.db secondary-copy.db -o out.db > report
assert_eq 466 "$(rows out.db)" "rows out"
assert_eq 1 "$(rows out.db "page_url = '/status' AND created_at = '2026-02-18T10:00:20.062000'")" "outage click once"
grep -q '^secondary-copy.db .* 1$' report
