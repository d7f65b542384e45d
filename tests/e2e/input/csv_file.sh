# A CSV file given as an input: exit 65, "does not appear to be a valid SQLite database", and the
# file is left as it was.
. "$(dirname "$0")/../common.inc"
printf 'id,page_url,x,y,created_at\n1,/pricing,10,20,2026-02-18T10:00:00\n' > clicks.csv
before=$(cksum clicks.csv primary.db)
expect_exit 65 $hm primary.db clicks.csv -o out.db
grep -q "clicks.csv does not appear to be a valid SQLite database" err
assert_eq "$before" "$(cksum clicks.csv primary.db)" "inputs unchanged"
test ! -e out.db
no_leftovers
