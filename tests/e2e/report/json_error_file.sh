# With --format json a failure also prints one JSON object on stdout: format_version as the
# report's, the exit code, its sysexits name, the message and the file concerned, as given. A
# missing input (66), an existing output (73) and a file that is not a database (65).
. "$(dirname "$0")/../common.inc"
expect_exit 66 $hm --format json primary.db secondary-typo.db -o out.db > out.json
jq -e . out.json > /dev/null
assert_eq 1 "$(jq '.format_version' out.json)" "format_version"
assert_eq 66 "$(jq '.error.exit_code' out.json)" "exit_code"
assert_eq noinput "$(jq -r '.error.code' out.json)" "code"
assert_eq secondary-typo.db "$(jq -r '.error.file' out.json)" "file"
assert_eq "cannot read secondary-typo.db: No such file or directory" \
  "$(jq -r '.error.message' out.json)" "message"
# stderr says the same as without --format json.
grep -qx "heatmap-merge: error: cannot read secondary-typo.db: No such file or directory" err
$hm -q -o out.db primary.db secondary.db
expect_exit 73 $hm --format=json primary.db secondary.db -o out.db > out.json
assert_eq 73 "$(jq '.error.exit_code' out.json)" "exit_code"
assert_eq cantcreat "$(jq -r '.error.code' out.json)" "code"
assert_eq out.db "$(jq -r '.error.file' out.json)" "file"
echo 'not a database, but long enough to have a header' > notes.db
expect_exit 65 $hm --format json -n primary.db notes.db > out.json
assert_eq dataerr "$(jq -r '.error.code' out.json)" "code"
assert_eq notes.db "$(jq -r '.error.file' out.json)" "file"
# A file name with a control character: raw in JSON (escaped by JSON), not terminal-escaped.
expect_exit 66 $hm --format json -n primary.db "$(printf 'a\033b.db')" > out.json
assert_eq "$(printf 'a\033b.db')" "$(jq -r '.error.file' out.json)" "file with ESC"
grep -qF '"file": "a\u001bb.db"' out.json
# Without --format json nothing goes to stdout on failure.
expect_exit 66 $hm primary.db secondary-typo.db -o new.db > out.txt
test ! -s out.txt
no_leftovers
