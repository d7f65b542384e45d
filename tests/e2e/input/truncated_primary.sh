# A primary cut to half its size: exit 65 naming it, never a half-copied output.
. "$(dirname "$0")/../common.inc"
size=$(wc -c < primary.db)
head -c $((size / 2)) primary.db > half.db
before=$(cksum half.db secondary.db)
expect_exit 65 timeout 20 $hm half.db secondary.db -o out.db
grep -E -q "half.db (is corrupt|does not appear to be a valid SQLite database)" err
assert_eq "$before" "$(cksum half.db secondary.db)" "inputs unchanged"
test ! -e out.db
no_leftovers
