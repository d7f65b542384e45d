# A secondary seeded from a copy of the primary: the rows on pages that both files hold byte for
# byte pair without being matched row by row, and the merge is the one that reading every row of
# both gives (the same secondary in WAL mode, whose pages are never compared), exact and within a
# window, dry run too.
. "$(dirname "$0")/../common.inc"
sqlite3 p.db < "$testdata/schema.sql"
sqlite3 p.db < "$testdata/history.sql"
cp p.db s.db
cp p.db p-wal.db
sqlite3 p.db < "$testdata/primary-after.sql"
sqlite3 s.db < "$testdata/secondary-outage.sql"
# Each side has changed its copy of the history a little since: a conflict, a deleted row.
sqlite3 s.db "UPDATE click_events SET scroll_y = scroll_y + 1 WHERE id = 40"
sqlite3 p.db "DELETE FROM click_events WHERE id = 120"
cp s.db s-wal.db
sqlite3 s-wal.db "PRAGMA journal_mode = WAL" > /dev/null
# The same primary in WAL mode, its later rows still in the -wal file, as on a live node.
{
  echo ".dbconfig no_ckpt_on_close on"
  echo "PRAGMA journal_mode = WAL;"
  cat "$testdata/primary-after.sql"
  echo "DELETE FROM click_events WHERE id = 120;"
} | sqlite3 p-wal.db > /dev/null

# With every optimisation off (CTest's second pass) no pages are compared: the merges must agree
# all the same.
optimized() {
  [ -z "${HEATMAP_MERGE_NO_OPTIMIZATIONS:-}" ]
}
# The reports agree but for the output's name, the secondary's and the time taken.
strip() {
  grep -v -E '"(output|seconds|elapsed)"' "$1" | sed 's/s-wal\.db/s.db/g; s/p-wal\.db/p.db/g'
}
for how in exact window dry; do
  case $how in
    exact) args="" ;;
    window) args="--window 2s" ;;
    dry) args="--dry-run" ;;
  esac
  # shellcheck disable=SC2086
  $hm -v $args --format json -o shared-$how.db p.db s.db > shared-$how.json 2> shared-$how.err
  if optimized; then
    grep -q 'rows of s.db are on pages that p.db holds byte for byte: counted as exact duplicates' \
      shared-$how.err
  fi
  # shellcheck disable=SC2086
  $hm -v $args --format json -o all-$how.db p.db s-wal.db > all-$how.json 2> all-$how.err
  if grep -q 'holds byte for byte' all-$how.err; then
    echo "$how: the pages of a WAL secondary were compared" >&2
    exit 1
  fi
  assert_eq "$(strip all-$how.json)" "$(strip shared-$how.json)" "$how: reports"
  if [ "$how" != dry ]; then
    assert_eq "$(sqlite3 all-$how.db 'SELECT * FROM click_events ORDER BY id' | cksum)" \
      "$(sqlite3 shared-$how.db 'SELECT * FROM click_events ORDER BY id' | cksum)" "$how: rows"
  fi
done
# The changes made since the copy are seen: a second conflict besides the sample replicas' own,
# and the row the primary deleted added back from the secondary.
grep -q '^  "conflicts": 2,' shared-exact.json
assert_eq 1 "$(sqlite3 shared-exact.db "ATTACH 's.db' AS s;
  SELECT count(*) FROM main.click_events m JOIN s.click_events o ON o.id = 120
  WHERE m.id > 400 AND m.created_at = o.created_at AND m.page_url = o.page_url")" "row 120 added back"

# A WAL primary's file is not its snapshot: its pages are compared in its copy.
$hm -v --format json -o wal-primary.db p-wal.db s.db > wal-primary.json 2> wal-primary.err
if optimized; then
  grep -q 'holds byte for byte' wal-primary.err
else
  ! grep -q 'holds byte for byte' wal-primary.err
fi
assert_eq "$(strip all-exact.json)" "$(strip wal-primary.json)" "WAL primary: report"
assert_eq "$(sqlite3 all-exact.db 'SELECT * FROM click_events ORDER BY id' | cksum)" \
  "$(sqlite3 wal-primary.db 'SELECT * FROM click_events ORDER BY id' | cksum)" "WAL primary: rows"
