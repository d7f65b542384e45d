# What a patch cannot do is refused before anything is written: --format sql without -n (64), a
# secondary column the primary lacks (65), a primary column with a default that a secondary
# lacks (65). A secondary lacking a nullable column without default is fine: NULL goes in, as -o.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
expect_exit 64 $hm --format sql primary.db secondary.db
grep -q 'heatmap-merge: error: --format sql writes a patch .*: add --dry-run (-n)' err
before=$(cksum primary.db)
expect_exit 64 $hm --format sql primary.db secondary.db -o out.db
grep -q 'heatmap-merge: error: --format sql writes a patch .*: add --dry-run (-n)' err
test ! -e out.db
expect_exit 64 $hm --format sql --in-place primary.db secondary.db
grep -q 'heatmap-merge: error: --format sql writes a patch .*: add --dry-run (-n)' err
assert_eq "$before" "$(cksum primary.db)" "the primary after --in-place --format sql"
assert_eq "" "$(ls | grep backup || true)" "backups"
# A secondary column the primary lacks: ALTER TABLE in a patch could not be repeated.
cp secondary.db wider.db
sqlite3 wider.db "ALTER TABLE click_events ADD COLUMN referrer TEXT"
set +e
$hm -n --format sql primary.db wider.db > patch.sql 2> err
got=$?
set -e
assert_eq 65 "$got" "a secondary column the primary lacks"
grep -q 'heatmap-merge: error: --format sql: wider.db has a column "referrer" that primary.db lacks' err
test ! -s patch.sql
# A primary column with a default that a secondary lacks: the default is not the patch's to spell.
cp primary.db defaulted.db
sqlite3 defaulted.db "ALTER TABLE click_events ADD COLUMN source TEXT DEFAULT 'gcp'"
set +e
$hm -n --format sql defaulted.db secondary.db > patch.sql 2> err
got=$?
set -e
assert_eq 65 "$got" "a primary column with a default"
grep -q 'heatmap-merge: error: --format sql: secondary.db lacks column "source", whose default' err
test ! -s patch.sql
# The same column in the secondary too: fine.
cp secondary.db defaulted-secondary.db
sqlite3 defaulted-secondary.db "ALTER TABLE click_events ADD COLUMN source TEXT DEFAULT 'aws'"
make_patch patch.sql defaulted.db defaulted-secondary.db
# A nullable primary column without a default that the secondary lacks: NULL, as -o writes.
cp primary.db noted.db
sqlite3 noted.db "ALTER TABLE click_events ADD COLUMN note TEXT"
make_patch patch.sql noted.db secondary.db
$hm noted.db secondary.db -o out.db > /dev/null
apply_patch noted.db patch.sql
assert_eq 65 "$(added_by_patch)" "rows added beside a column the secondary lacks"
same_rows noted.db out.db "a column the secondary lacks"
assert_eq 65 "$(rows noted.db "id > 400 AND note IS NULL")" "NULL in the column"
# A UTF-16 primary: the patch's CAST(X'..' AS TEXT) literals are UTF-8 bytes. Refused, 65.
sqlite3 primary.db .dump | { echo "PRAGMA encoding = 'UTF-16le';"; cat; } | sqlite3 utf16.db
expect_exit 65 $hm -n --format sql utf16.db secondary.db
grep -qxF 'heatmap-merge: error: --format sql: utf16.db stores text as UTF-16le; a patch needs a UTF-8 primary' err
