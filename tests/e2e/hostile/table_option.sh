# --table with quotes, a semicolon and a comment marker is a name, quoted, never executed: exit 65
# (no such table) naming it, and both inputs unchanged (the click table is still there).
. "$(dirname "$0")/../common.inc"
before=$(cksum primary.db secondary.db)
for name in 'click_events"; DROP TABLE click_events; --' \
            "click_events'; DROP TABLE click_events; --" \
            'click_events]; DROP TABLE click_events; /*' \
            'click_events` /* */ --'; do
  expect_exit 65 $hm --table "$name" primary.db secondary.db -o out.db
  grep -q -F "has no table" err
  grep -q -F "primary.db" err
  test ! -e out.db
done
assert_eq "$before" "$(cksum primary.db secondary.db)" "inputs unchanged"
assert_eq 400 "$(rows primary.db)" "primary rows"
no_leftovers
