#!/bin/sh
# Builds the sample replicas from the SQL beside this script into DIR (default: testdata/build):
#   primary.db        GCP primary: history, a gap during the outage, clicks after it
#   secondary.db      AWS secondary: the same history (seeded copy), the outage's clicks, and
#                     failover duplicates 1.25 to 1.65 s after the primary's
#   secondary-wal.db  the same secondary in WAL mode, its outage rows still in the -wal file
#   day-primary.db, day-secondary.db
#                     a day with three outages and scattered failover duplicates (outages.sql)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
mkdir -p "$out"
cd "$out"
rm -f primary.db secondary.db secondary-wal.db secondary-wal.db-wal secondary-wal.db-shm \
  day-primary.db day-secondary.db
sqlite3 primary.db < "$here/schema.sql"
sqlite3 primary.db < "$here/history.sql"
sqlite3 primary.db < "$here/primary-after.sql"

sqlite3 secondary.db < "$here/schema.sql"
sqlite3 secondary.db < "$here/history.sql"
sqlite3 secondary.db < "$here/secondary-outage.sql"

# no_ckpt_on_close keeps the committed rows in the -wal file, as on a live node.
sqlite3 secondary-wal.db < "$here/schema.sql"
sqlite3 secondary-wal.db < "$here/history.sql"
{
  echo ".dbconfig no_ckpt_on_close on"
  echo "PRAGMA journal_mode = WAL;"
  cat "$here/secondary-outage.sql"
} | sqlite3 secondary-wal.db > /dev/null

for role in primary secondary; do
  sqlite3 "day-$role.db" < "$here/schema.sql"
  { echo ".parameter set :role '$role'"; cat "$here/outages.sql"; } | sqlite3 "day-$role.db"
done
