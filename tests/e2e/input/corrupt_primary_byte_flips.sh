# A primary with random byte flips (40 runs, fixed seeds), placed as in
# corrupt_secondary_byte_flips. The primary's pages are copied into the output, so a damaged page
# must not be passed on: every run ends with exit 0 or 65 within 20 s, never a crash or a hang; on
# 65 the message names the file and no output or temporary file remains; on 0 the output passes
# PRAGMA quick_check (a merge never hands on a damaged database as a good one; quick_check is the
# O(N) check, which leaves out only the index-against-table comparison of integrity_check).
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
merge_corrupt() {
  timeout 20 $hm -q corrupt.db secondary.db -o out.db
}
output_sound() {
  [ "$(sqlite3 out.db 'PRAGMA quick_check' 2>&1)" = ok ]
}
byte_flip_runs primary.db 104729 3
