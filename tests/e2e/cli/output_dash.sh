# -o - does not write a file named "-" (nor the database to stdout): exit 64 saying so and how to
# name such a file; ./- does write one.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm primary.db secondary.db -o -
grep -q -- "--output -: a database cannot be written to standard output; give a file path" err
test ! -e ./-
printf 'output = "-"\n' > dash.toml
expect_exit 64 $hm --config dash.toml primary.db secondary.db
grep -q -- "--output -:" err
test ! -e ./-
$hm -q primary.db secondary.db -o ./-
test "$(rows ./-)" -gt "$(rows primary.db)"
no_leftovers
