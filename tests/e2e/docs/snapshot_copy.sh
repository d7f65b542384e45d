# The README and the man page tell the operator to copy a live secondary with sqlite3's .backup or
# VACUUM INTO, never as a bare file: on a WAL database whose newest clicks are still in its -wal
# file, both snapshots merge exactly as the live file does, and a bare copy of the file loses
# those clicks.
. "$(dirname "$0")/../common.inc"
test -s secondary-wal.db-wal
for doc in "$SOURCE_DIR/README.md" "$SOURCE_DIR/man/heatmap-merge.1"; do
  grep -qF '".backup /tmp/aws-snap.db"' "$doc" || { echo "$doc lacks the .backup command" >&2; exit 1; }
  grep -qF "\"VACUUM INTO '/tmp/aws-snap.db'\"" "$doc" || { echo "$doc lacks VACUUM INTO" >&2; exit 1; }
done
$hm primary.db secondary-wal.db -o direct.db > /dev/null
dump() {
  sqlite3 "$1" "SELECT * FROM click_events ORDER BY id"
}
# A bare copy of the file alone: the rows in the -wal file are missing.
cp secondary-wal.db bare.db
$hm primary.db bare.db -o from-bare.db > /dev/null
if [ "$(rows from-bare.db)" = "$(rows direct.db)" ]; then
  echo "a bare copy merged like the live file: this test no longer shows the hazard" >&2
  exit 1
fi
# The two documented commands, as the operator types them, on the live file.
sqlite3 secondary-wal.db ".backup $t/backup-snap.db"
sqlite3 secondary-wal.db "VACUUM INTO '$t/vacuum-snap.db'"
for snap in backup-snap vacuum-snap; do
  $hm primary.db "$snap.db" -o "from-$snap.db" > /dev/null
  assert_eq "$(dump direct.db)" "$(dump "from-$snap.db")" "merge of $snap.db"
done
# VACUUM INTO refuses to overwrite: the man page says its target must not exist.
expect_exit 1 sqlite3 secondary-wal.db "VACUUM INTO '$t/vacuum-snap.db'"
grep -q 'output file already exists' err
