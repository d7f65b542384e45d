# A WAL input named by a second hard link: SQLite reads the -wal beside the name given only, so
# clicks committed through the other name and not yet checkpointed are not seen. The run warns,
# naming the file (even with -q); with frames beside the name given, the writer uses it: no
# warning.
. "$(dirname "$0")/../common.inc"
test -s secondary-wal.db-wal
ln secondary-wal.db other-name.db
$hm -q -n primary.db other-name.db > /dev/null 2> log
grep -q 'warning: other-name.db is in WAL mode and has 2 hard links' log
$hm -q -n primary.db secondary-wal.db > /dev/null 2> log
lacks 'hard links' log
