# memory-limit in a --config file is read as on the command line: a SIZE of at least 1MiB, and
# anything else a usage error (exit 64) naming the file, the line and the key.
. "$(dirname "$0")/../common.inc"
cat > small.toml <<'TOML'
output = "small.db"
memory-limit = "2MiB"
TOML
$hm --config small.toml -q primary.db secondary.db
$hm -o default.db -q primary.db secondary.db
assert_eq "$(rows default.db)" "$(rows small.db)" "rows out"
printf 'memory-limit = "0"\n' > zero.toml
expect_exit 64 $hm --config zero.toml -n primary.db secondary.db
grep -qF -- "zero.toml:1: memory-limit: '0' is 0 bytes, less than the minimum 1MiB" err
printf 'memory-limit = "lots"\n' > lots.toml
expect_exit 64 $hm --config lots.toml -n primary.db secondary.db
grep -qF -- "lots.toml:1: memory-limit: 'lots' is not a size" err
no_leftovers
