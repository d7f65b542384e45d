# --key columns with quotes, semicolons and comment markers are names, quoted, never executed:
# exit 65 naming the column, inputs unchanged.
. "$(dirname "$0")/../common.inc"
before=$(cksum primary.db secondary.db)
for keys in 'page_url,x,y"; DROP TABLE click_events; --' \
            "page_url,x,y'); DELETE FROM click_events; --" \
            'page_url,x,y" FROM click_events; /*'; do
  expect_exit 65 $hm primary.db secondary.db -o out.db --key "$keys"
  grep -q -F 'primary.db: table "click_events" has no key column "y' err
  test ! -e out.db
done
assert_eq "$before" "$(cksum primary.db secondary.db)" "inputs unchanged"
no_leftovers
