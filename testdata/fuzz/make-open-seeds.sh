#!/bin/sh
# Builds the seed corpus of fuzz_open into DIR from the SQL in open/: each database, prefixed
# with the byte that picks the run (see tests/fuzz/fuzz_open.cpp: bit 0 primary, bit 1 window,
# bit 2 verbose, bits 3-4 report format), once as a secondary and once as a primary, with
# various options. Nothing binary is committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: make-open-seeds.sh DIR}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for sql in "$here"/open/*.sql; do
  name=$(basename "$sql" .sql)
  # From testdata/, where a seed's `.read schema.sql` finds the service's table.
  (cd "$here/.." && sqlite3 "$work/$name.db" < "$sql" >/dev/null)
  # \000 secondary, exact, text; \001 primary; \012 secondary, 2 s window, json;
  # \025 primary, verbose, markdown; \036 secondary, window, verbose, html.
  for mode in 000 001 012 025 036; do
    { printf "\\$mode"; cat "$work/$name.db"; } > "$out/$name-$mode"
  done
done
