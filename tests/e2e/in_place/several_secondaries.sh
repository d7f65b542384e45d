# --in-place with two and three secondaries writes exactly the rows -o writes from the same
# inputs, with the same ids; the report counts them; a dry run and a second run afterwards add
# nothing. Cases where the later secondary adds more rows than the first (past one block of
# 1,024 planned rows) and fewer (after one past it) too. Issue 31, item 1.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
cp primary.db primary-orig.db
# s1: the sample secondary (adds 65); s2: its copy and 20 clicks of its own, which the plan puts
# in the rows' first block, as s1's are; s3: only 30 clicks; big: 1,500; many: s1 and 1,100
# (1,165). big.db looks like the primary (a warning on stderr): it holds more of its own.
cp secondary.db s1.db
cp secondary.db s2.db
grow s2.db 20 second
sqlite3 s3.db < "$testdata/schema.sql"
grow s3.db 30 third
sqlite3 big.db < "$testdata/schema.sql"
grow big.db 1500 big
cp secondary.db many.db
grow many.db 1100 many

# with_ids DB: every click row with its id, in id order.
with_ids() {
  sqlite3 "$1" "SELECT * FROM click_events ORDER BY id"
}

# in_place_like_output WANT SECONDARY...: --in-place into a fresh copy of the primary leaves the
# rows -o writes, WANT of them added, and a dry run and second run then find nothing to add.
in_place_like_output() {
  want=$1
  shift
  rm -f out.db primary.db primary.db.backup-*
  cp primary-orig.db primary.db
  $hm primary.db "$@" -o out.db > /dev/null 2> log
  assert_eq $(($(rows primary.db) + want)) "$(rows out.db)" "-o rows with $*"
  $hm --in-place primary.db "$@" > report 2> log
  grep -q "^added $want rows to primary.db in place" report || {
    echo "with $*: the report does not say $want rows were added:" >&2
    cat report log >&2
    exit 1
  }
  same_rows primary.db out.db "--in-place and -o with $*"
  with_ids primary.db > ids-in-place
  with_ids out.db > ids-out
  if ! cmp -s ids-in-place ids-out; then
    echo "with $*: --in-place gave other ids than -o:" >&2
    diff ids-in-place ids-out | head -20 >&2 || true
    exit 1
  fi
  assert_eq ok "$(sqlite3 primary.db 'PRAGMA integrity_check')" "integrity with $*"
  $hm -n --in-place primary.db "$@" > dry
  grep -q '^nothing to add' dry || {
    echo "with $*: a dry run afterwards still wants rows:" >&2
    cat dry >&2
    exit 1
  }
  before=$(cksum primary.db)
  $hm --in-place primary.db "$@" > second 2>&1
  grep -q 'nothing to add' second
  assert_eq "$before" "$(cksum primary.db)" "primary after a second run with $*"
}

in_place_like_output 85 s1.db s2.db
assert_eq 1 "$(rows primary.db "page_url = '/second/1'")" "one of s2's own clicks"
in_place_like_output 115 s1.db s2.db s3.db
in_place_like_output 1565 s1.db big.db
in_place_like_output 1595 s1.db s3.db big.db
in_place_like_output 1195 many.db s3.db
in_place_like_output 1195 s1.db many.db s3.db
