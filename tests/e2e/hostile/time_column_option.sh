# --time-column with quotes, semicolons and comment markers is a name, quoted, never executed:
# exit 65 naming the column, inputs unchanged.
. "$(dirname "$0")/../common.inc"
before=$(cksum primary.db secondary.db)
for column in 'created_at"; DROP TABLE click_events; --' \
              "created_at'); DELETE FROM click_events; /*" \
              'created_at" FROM click_events --'; do
  expect_exit 65 $hm --time-column "$column" primary.db secondary.db -o out.db
  grep -q -F 'primary.db: table "click_events" has no time column "created_at' err
  test ! -e out.db
done
assert_eq "$before" "$(cksum primary.db secondary.db)" "inputs unchanged"
no_leftovers
