# With three secondaries, and a later secondary that adds more than a block of 1,024 rows, the
# patch applied with sqlite3 adds exactly the rows -o writes, each once; a second application
# adds none. Issue 31 asked that every mode agree with -o for any number of secondaries.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
cp secondary.db s2.db
grow s2.db 20 second
sqlite3 s3.db < "$testdata/schema.sql"
grow s3.db 30 third
sqlite3 big.db < "$testdata/schema.sql"
grow big.db 1500 big
for inputs in "secondary.db s2.db s3.db 115" "secondary.db s3.db big.db 1595"; do
  # shellcheck disable=SC2086 # four words
  set -- $inputs
  rm -f target.db out.db
  make_patch patch.sql primary.db "$1" "$2" "$3" 2> /dev/null
  $hm primary.db "$1" "$2" "$3" -o out.db > /dev/null 2>&1
  assert_eq "$4" "$(($(rows out.db) - $(rows primary.db)))" "rows -o adds from $1 $2 $3"
  cp primary.db target.db
  apply_patch target.db patch.sql
  assert_eq "heatmap-merge patch: added $4 of its $4 rows, 0 were already there" \
    "$(cat applied)" "the patch's message with $1 $2 $3"
  same_rows target.db out.db "the patch and -o with $1 $2 $3"
  assert_eq ok "$(sqlite3 target.db 'PRAGMA integrity_check')" "integrity with $1 $2 $3"
  apply_patch target.db patch.sql
  assert_eq "heatmap-merge patch: added 0 of its $4 rows, $4 were already there" \
    "$(cat applied)" "the second application with $1 $2 $3"
done
