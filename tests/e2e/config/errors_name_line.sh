# Every problem in a --config file is exit 64 naming the file and the line: a value its option
# refuses, an unclosed string or list, a section, a key set twice, a list for a one-value key, a
# line without "=", a file that cannot be read. What is valid TOML for the options works: inputs
# as a list over several lines, comments, single quotes, bare INI values.
. "$(dirname "$0")/../common.inc"
check() { # check FILE-CONTENT EXPECTED-MESSAGE
  printf '%b' "$1" > bad.toml
  expect_exit 64 $hm --config bad.toml -n primary.db secondary.db
  grep -qF -- "heatmap-merge: error: bad.toml:$2" err || { cat err >&2; exit 1; }
}
check '# c\nwindow = "8d"\n' "2: window: '8d': the unit 'd' is not supported"
check 'window = "169h"\n' "1: window: '169h' is over the limit of 168h"
check '\nlock-timeout = "2h"\n' "2: lock-timeout: '2h' is over the limit of 1h"
check 'format = "yaml"\n' '1: format: yaml not in'
check 'memory-limit = "lots"\n' "1: memory-limit: 'lots' is not a size"
check 'window = "2s\n' '1: the value of "window" lacks its closing "'
check '[nightly]\nwindow = "2s"\n' "1: '[nightly]': sections are not supported"
check 'window = "1s"\n\nwindow = "2s"\n' '3: "window" is set twice, on lines 1 and 3'
check 'window = ["1s", "2s"]\n' '1: "window" takes one value, not a list'
check 'inputs = ["primary.db",\n  "secondary.db"\n' '1: the list of "inputs" is not closed with ]'
check 'window\n' '1: expected key = value after "window"'
check 'table =\n' '1: no value for "table"'
check 'table = "a\\qb"\n' '1: the value of "table" has an unknown escape \q'
check 'config = "other.toml"\n' '1: "config" cannot be set in a config file'
expect_exit 64 $hm --config missing.toml -n primary.db secondary.db
grep -qF "cannot read the --config file missing.toml: No such file or directory" err
expect_exit 64 $hm --config . -n primary.db secondary.db
grep -qF "cannot read the --config file .: it is a directory" err
# Valid: the inputs in the file, over several lines with comments; single quotes; a bare value.
cat > good.toml <<'TOML'
inputs = [
  "primary.db",   # GCP
  'secondary.db', # AWS
]
window = 2s
output = 'out.db'
quiet = true
TOML
$hm --config good.toml
test "$(rows out.db)" -gt "$(rows primary.db)"
# The command line wins over the file, for the inputs as for the options.
$hm --config good.toml -o out2.db day-primary.db day-secondary.db
$hm -q --window 2s -o direct.db day-primary.db day-secondary.db
assert_eq "$(rows direct.db)" "$(rows out2.db)" "rows of the day pair"
no_leftovers
