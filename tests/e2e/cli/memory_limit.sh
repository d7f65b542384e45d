# --memory-limit takes a SIZE of at least 1MiB: below it, 0 or no size at all is exit 64 with a
# message that names the option and says what is allowed; a good one only bounds the memory.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm --memory-limit 512KiB primary.db secondary.db -o out.db
grep -q -- "--memory-limit: '512KiB' is 524288 bytes, less than the minimum 1MiB" err
expect_exit 64 $hm --memory-limit lots primary.db secondary.db -o out.db
grep -q -- "--memory-limit: 'lots' is not a size" err
grep -q 'at least 1MiB' err
expect_exit 64 $hm --memory-limit 0 primary.db secondary.db -o out.db
grep -q -- "--memory-limit: '0'" err
# KB and MB are powers of 1000: 1MB is under 1MiB.
expect_exit 64 $hm --memory-limit 1MB primary.db secondary.db -o out.db
grep -q -- "'1MB' is 1000000 bytes" err
# strtoull would read these as 2^64-1, hex and octal: refused, not taken for no limit.
for size in -1 0x100000 1.5MiB 64MiBs 99999999999999999999 16EiB; do
  expect_exit 64 $hm --memory-limit "$size" primary.db secondary.db -o out.db
  grep -q -- "--memory-limit: '$size' is not a size" err
done
test ! -e out.db
no_leftovers
# A good limit plans and reports as without it (but for the time taken); so do units in any
# case, a blank before the unit and the smallest limit.
$hm -n --format json primary.db secondary.db | grep -v '"seconds"' > default.json
$hm --memory-limit 64MiB -n --format json primary.db secondary.db | grep -v '"seconds"' > limited.json
cmp default.json limited.json
$hm --memory-limit 1mib -n primary.db secondary.db > /dev/null
$hm --memory-limit '2 GiB' -n primary.db secondary.db > /dev/null
$hm --help | grep -q -- '--memory-limit SIZE=128MiB'
