# Applying the patch a second time adds nothing and changes nothing: not a row, not a byte.
. "$(dirname "$0")/../common.inc"
. "$(dirname "$0")/../sql_patch.inc"
make_patch patch.sql primary.db secondary.db
apply_patch primary.db patch.sql
assert_eq 65 "$(added_by_patch)" "added the first time"
before=$(sqlite3 primary.db .dump | cksum)
cp primary.db once.db
apply_patch primary.db patch.sql
assert_eq "heatmap-merge patch: added 0 of its 65 rows, 65 were already there" "$(cat applied)" \
  "the second application's message"
assert_eq "$before" "$(sqlite3 primary.db .dump | cksum)" "dump after the second application"
cmp once.db primary.db
assert_eq 465 "$(rows primary.db)" "rows"
