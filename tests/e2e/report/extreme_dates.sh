# Added clicks at the ends of what the time parser accepts (1677 and 2262, as ISO text and as
# epoch seconds and milliseconds) and beyond (0001, 9999: compared as text) give every report
# format, after -o and --in-place alike, exit 0 and the outage's hours as they are. And a report
# that fails after the write says what was written.
. "$(dirname "$0")/../common.inc"
cp secondary.db stray.db
sqlite3 stray.db "INSERT INTO click_events (page_url, x, y, created_at) VALUES
  ('/old', 1, 2, '1700-01-01 00:00:00'), ('/old', 1, 2, '0001-01-01 00:00:00'),
  ('/old', 1, 2, '9999-12-31 23:59:59'), ('/old', 1, 2, '1677-09-21T00:12:43.145224192Z'),
  ('/old', 1, 2, '2262-04-11T23:47:16.854775807Z'), ('/old', 1, 2, -9223372036),
  ('/old', 1, 2, 9223372036), ('/old', 1, 2, '-9223372036854'), ('/old', 1, 2, 9223372036854)"
for how in output in-place; do
  for format in text json markdown html summary; do
    rm -f out.db live.db live.db.backup-*
    if [ $how = output ]; then
      expect_exit 0 $hm --format $format -o out.db primary.db stray.db > report
      assert_eq 474 "$(rows out.db)" "$how $format: rows out"
    else
      cp primary.db live.db
      expect_exit 0 $hm --format $format --in-place live.db stray.db > report
      assert_eq 474 "$(rows live.db)" "$how $format: rows in place"
    fi
    case $format in
      text)
        # The stray dates leave the outage's hours counted: 65 added at 10:00.
        grep -qE '^  2026-02-18 10:00 +161 +66 +65$' report
        grep -qE '^stray\.db +secondary +314 +1677-09-21 00:12:43 +2262-04-11 23:47:16$' report ;;
      json)
        assert_eq 74 "$(jq '.rows_added' report)" "$how json: added"
        assert_eq '[161,66]' "$(jq -c '.hourly[0].hours[2].inputs' report)" "$how json: 10:00" ;;
      markdown) grep -q '| 2026-02-18 10:00 | 161 | 66 | 65 |' report ;;
      html)
        grep -q '</html>' report
        grep -q '>2026-02-18<' report ;;
      summary) grep -q '^heatmap-merge: 74 rows added to' report ;;
    esac
  done
done
# Standard output that cannot be written after the merge: exit 74, and what was written.
rm -f out.db
expect_exit 74 $hm -o out.db primary.db stray.db > /dev/full
grep -qx 'heatmap-merge: error: merged 74 rows into out.db, but the report failed: cannot write the report to standard output: No space left on device' err
assert_eq 474 "$(rows out.db)" "rows out"
