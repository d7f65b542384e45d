# A flag in a --config file takes true or false only: "force = yes" (or 1, or on) is exit 64
# naming the file and line, not a silent true. true and false (quoted or not) work; verbose also
# takes a count.
. "$(dirname "$0")/../common.inc"
for value in yes 1 on '"yes"' '"1"'; do
  printf 'output = "out.db"\nforce = %s\n' "$value" > force.toml
  expect_exit 64 $hm --config force.toml primary.db secondary.db
  grep -qF 'force.toml:2: "force" takes true or false, not' err
done
printf 'output = "out.db"\nforce =\n' > force.toml
expect_exit 64 $hm --config force.toml primary.db secondary.db
grep -qF 'force.toml:2: no value for "force"' err
printf 'dry-run = yes\n' > dry.toml
expect_exit 64 $hm --config dry.toml primary.db secondary.db
grep -qF "dry.toml:1: \"dry-run\" takes true or false, not 'yes'" err
test ! -e out.db
# true replaces, false does not.
$hm -q -o out.db primary.db secondary.db
printf 'output = "out.db"\nforce = false\n' > keep.toml
expect_exit 73 $hm --config keep.toml primary.db secondary.db
grep -q "already exists" err
printf 'output = "out.db"\nforce = "true"\nquiet = true\n' > replace.toml
$hm --config replace.toml primary.db secondary.db
printf 'dry-run = true\nverbose = 2\n' > verbose.toml
$hm --config verbose.toml primary.db secondary.db > report 2> log
grep -q . report
no_leftovers
