#!/usr/bin/env bash
# Usage: bench/wal-secondary.sh DIR
# Makes DIR/secondary-wal.db: DIR/secondary.db switched to PRAGMA journal_mode = WAL, a secondary
# whose pages heatmap-merge never compares with the primary's (its -wal could hold newer ones), so
# that every one of its rows is read. Kept while it is newer than secondary.db and in WAL mode.
set -u
dir=$1
die() {
  echo "$0: $*" >&2
  exit 1
}
wal=$dir/secondary-wal.db
a=0 b=0
[ -s "$wal" ] && read -r a b < <(od -An -tu1 -j18 -N2 "$wal")
if [ ! -s "$wal" ] || [ ! "$wal" -nt "$dir/secondary.db" ] || [ "$a.$b" != 2.2 ]; then
  echo "making $wal (secondary.db in WAL mode) ..." >&2
  tmp=$dir/.secondary-wal.$$.db
  rm -f "$tmp" "$tmp-wal" "$tmp-shm"
  cp "$dir/secondary.db" "$tmp" || die "cannot copy $dir/secondary.db"
  mode=$(sqlite3 "$tmp" 'PRAGMA journal_mode = WAL')
  [ "$mode" = wal ] || { rm -f "$tmp"; die "$tmp: journal_mode is ${mode:-unknown}, not wal"; }
  rm -f "$wal" "$wal-wal" "$wal-shm"
  mv "$tmp" "$wal" || die "cannot rename $tmp"
fi
