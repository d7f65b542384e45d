# The man page's last instant is 2262-04-11T23:47:16.854775806Z: the next nanosecond, the largest
# int64, marks a time that is text, so a time there is compared as text, as the man page says,
# whole (its two spellings are two clicks), not as an instant that is text only by half.
. "$(dirname "$0")/../common.inc"
for last in 806 807; do
  rm -f p.db s.db out.db
  cp primary.db p.db
  sqlite3 p.db "DELETE FROM click_events; INSERT INTO click_events (page_url, x, y, created_at)
    VALUES ('/p', 1, 1, '2262-04-11T23:47:16.854775${last}Z')"
  cp p.db s.db
  sqlite3 s.db "UPDATE click_events SET created_at = '2262-04-11 23:47:16.854775$last'"
  $hm -o out.db p.db s.db > report
  if [ $last = 806 ]; then want=1; else want=2; fi
  assert_eq $want "$(rows out.db)" "rows at .$last"
done
