# An unknown option is a usage error, exit 64, never one of CLI11's own codes (100 and up).
. "$(dirname "$0")/common.inc"
expect_exit 64 $hm --bogus primary.db secondary.db -o out.db
grep -q -- "--bogus" err
# A missing option value and a bad --format value are usage errors too.
expect_exit 64 $hm primary.db secondary.db -o
expect_exit 64 $hm --format yaml primary.db secondary.db -o out.db
grep -q "yaml" err
expect_exit 64 $hm --lock-timeout -3 primary.db secondary.db -o out.db
test ! -e out.db
no_leftovers
