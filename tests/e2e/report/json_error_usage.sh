# A usage error with --format json is a JSON error object on stdout too, even when the command
# line itself does not parse, and whether json comes from the command line or from a --config
# file; exit 64, code "usage", file null, or the config file when the error is in it.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm --format json --dryrun primary.db secondary.db > out.json
jq -e . out.json > /dev/null
assert_eq 1 "$(jq '.format_version' out.json)" "format_version"
assert_eq 64 "$(jq '.error.exit_code' out.json)" "exit_code"
assert_eq usage "$(jq -r '.error.code' out.json)" "code"
assert_eq null "$(jq '.error.file' out.json)" "file"
assert_eq "unknown option --dryrun (did you mean --dry-run?)" "$(jq -r '.error.message' out.json)" \
  "message"
expect_exit 64 $hm --format=json > out.json
assert_eq "usage" "$(jq -r '.error.code' out.json)" "code with no inputs"
# The last --format wins; an invalid one falls back to text (nothing on stdout).
expect_exit 64 $hm --format text --format json --window 8d primary.db secondary.db -o out.db > out.json
jq -r '.error.message' out.json | grep -q "the unit 'd' is not supported"
expect_exit 64 $hm --format yaml primary.db secondary.db -o out.db > out.txt
test ! -s out.txt
# json from the config file, the error further down in it.
printf 'format = "json"\nwindw = "2s"\n' > cron.toml
expect_exit 64 $hm --config cron.toml -n primary.db secondary.db > out.json
assert_eq cron.toml "$(jq -r '.error.file' out.json)" "file"
jq -r '.error.message' out.json | grep -qF 'cron.toml:2: unknown key "windw"'
# A success with --format json prints the report alone, no error object.
$hm --format json -n primary.db secondary.db > report.json
assert_eq null "$(jq '.error' report.json)" "error in a report"
no_leftovers
