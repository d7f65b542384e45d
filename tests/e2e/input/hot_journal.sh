# A secondary left with a hot journal by a writer that crashed mid-transaction (its file holds
# half-written pages, its -journal the originals). A read-only run cannot roll it back and must not
# read the torn pages: it refuses with 65 or 75 (not 74: nothing failed to write), a message naming
# the file and its journal, no output, and both files left as they were for SQLite to recover.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
make_hot_journal secondary.db
before=$(cksum secondary.db secondary.db-journal)
set +e
$hm primary.db secondary.db -o out.db 2> err
got=$?
set -e
case $got in
  65|75) ;;
  *) echo "expected exit 65 or 75, got $got" >&2; cat err >&2; exit 1 ;;
esac
grep -q "secondary.db" err
grep -q -i "journal" err
assert_eq "$before" "$(cksum secondary.db secondary.db-journal)" "secondary and its journal"
test ! -e out.db
test -z "$(temps out.db)"
