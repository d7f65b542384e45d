# A secondary cut to half its size (a copy interrupted): exit 65, a message naming the file as
# corrupt or not a database, no output, the input unchanged.
. "$(dirname "$0")/../common.inc"
size=$(wc -c < secondary.db)
head -c $((size / 2)) secondary.db > half.db
before=$(cksum half.db primary.db)
expect_exit 65 timeout 20 $hm primary.db half.db -o out.db
grep -E -q "half.db (is corrupt|does not appear to be a valid SQLite database)" err
assert_eq "$before" "$(cksum half.db primary.db)" "inputs unchanged"
test ! -e out.db
no_leftovers
