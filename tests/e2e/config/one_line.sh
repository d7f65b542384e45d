# The config the README once showed on one comment line, copied into a file as one line: exit 64
# naming the file and line 1 and saying to put one key = value on each line, not CLI11's
# "--output: At Most 1 required but received 10". Nothing written.
. "$(dirname "$0")/../common.inc"
printf 'output = "merged.db"  force = true  window = "2s"  quiet = true\n' > nightly.toml
expect_exit 64 $hm --config nightly.toml primary.db secondary.db
grep -qF 'nightly.toml:1: more after the value of "output": '"'"'force = true' err
grep -qF 'put each key = value on a line of its own' err
# INI style, without quotes: the same mistake, the same advice.
printf '# nightly\noutput = merged.db  force = true\n' > ini.toml
expect_exit 64 $hm --config ini.toml primary.db secondary.db
grep -qF 'ini.toml:2: "output" = merged.db  force = true: several settings on one line?' err
grep -qF 'on a line of its own' err
test ! -e merged.db
no_leftovers
