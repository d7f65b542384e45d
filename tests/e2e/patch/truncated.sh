# A patch cut short (a copy that stopped, a paste that lost its end) adds nothing or whole
# transactions, never part of one; the whole patch applied afterwards completes it: the rows -o
# writes, none twice.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
# 15,000 outage clicks: two transactions, of 10,000 and 5,065 rows.
grow secondary.db 15000 outage
make_patch patch.sql primary.db secondary.db
$hm primary.db secondary.db -o out.db > /dev/null
grep -q '^-- Plan: 15065 rows to add, in 2 transactions$' patch.sql
row_lines out.db > expected
size=$(wc -c < patch.sql)
# The byte offsets of the statements that matter, each cut just before it or just after it.
at() {
  LC_ALL=C grep -b -n "$1" patch.sql | sed -n "${2}p" | cut -d: -f2
}
first_commit=$(at '^COMMIT;$' 1)
second_insert=$(at '^INSERT OR ABORT INTO main' 2)
second_commit=$(at '^COMMIT;$' 2)
footer=$(at "^SELECT printf" 1)
numbering=$(at '^CREATE TABLE temp.heatmap_merge_rows' 1)
# "COM" is no commit, but the shell runs an unfinished last statement: "COMMIT" is one.
for cut in $((size / 2)) "$numbering" "$first_commit" $((first_commit + 8)) \
  "$second_insert" $((second_commit + 3)) $((second_commit + 6)) "$footer"; do
  cp primary.db target.db
  head -c "$cut" patch.sql > cut.sql
  # The shell may fail (a statement cut in two) or not: what counts is what it left.
  sqlite3 target.db < cut.sql > /dev/null 2>&1 || true
  added=$(($(rows target.db) - 400))
  case $cut:$added in
    $((first_commit + 8)):10000 | "$second_insert":10000 | $((second_commit + 3)):10000) ;;
    $((second_commit + 6)):15065 | "$footer":15065) ;;
    *:0) test "$cut" -le "$first_commit" ;;
    *)
      echo "cut at byte $cut of $size: $added rows added" >&2
      exit 1
      ;;
  esac
  assert_eq ok "$(sqlite3 target.db 'PRAGMA integrity_check')" "integrity after a cut at $cut"
  apply_patch target.db patch.sql
  assert_eq $((15065 - added)) "$(added_by_patch)" "the whole patch after a cut at $cut"
  row_lines target.db | cmp -s - expected ||
    { echo "the whole patch after a cut at $cut: not the rows of -o" >&2; exit 1; }
done
