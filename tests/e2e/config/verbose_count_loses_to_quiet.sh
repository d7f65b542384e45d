# -q on the command line wins over a --config file's verbose given as a count (verbose = 2), as
# it does over verbose = true (found by the second breaker: the file's count kept the phase logs
# on stderr under -q, exit 0).
. "$(dirname "$0")/../common.inc"
printf 'verbose = true\n' > flag.toml
$hm --config flag.toml -q -o out1.db primary.db secondary.db > report 2> log
test ! -s report
test ! -s log
printf 'verbose = 2\n' > count.toml
$hm --config count.toml -q -o out2.db primary.db secondary.db > report 2> log
test ! -s report || { echo "-q with verbose = 2 in the file printed a report:" >&2; cat report >&2; exit 1; }
test ! -s log || { echo "-q with verbose = 2 in the file logged:" >&2; cat log >&2; exit 1; }
assert_eq 465 "$(rows out2.db)" "rows of the output"
