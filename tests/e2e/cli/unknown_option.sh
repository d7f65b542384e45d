# An unknown option is a usage error, exit 64, never one of CLI11's own codes (100 and up); a
# misspelled long option gets the nearest known one.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm --bogus primary.db secondary.db -o out.db
grep -q -- "^heatmap-merge: error: unknown option --bogus$" err
grep -qxF "Try 'heatmap-merge --help' for more information." err
expect_exit 64 $hm --dryrun primary.db secondary.db
grep -q -- "unknown option --dryrun (did you mean --dry-run?)" err
expect_exit 64 $hm --windw=2s -n primary.db secondary.db
grep -q -- "unknown option --windw (did you mean --window?)" err
expect_exit 64 $hm --lock-timout 5 -n primary.db secondary.db
grep -q -- "(did you mean --lock-timeout?)" err
# A missing option value and a bad --format value are usage errors too.
expect_exit 64 $hm primary.db secondary.db -o
expect_exit 64 $hm --format yaml primary.db secondary.db -o out.db
grep -q "yaml" err
expect_exit 64 $hm --lock-timeout -3 primary.db secondary.db -o out.db
test ! -e out.db
no_leftovers
