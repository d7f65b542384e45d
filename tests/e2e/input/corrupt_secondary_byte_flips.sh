# A secondary with random byte flips (40 runs, fixed seeds): in the database header, in page 1's
# b-tree header and schema, in other pages' headers and anywhere in the file. Every run ends with
# exit 0 or 65 within 20 s, never a crash or a hang. On 65 the message names the file and no
# output or temporary file remains; on 0 the output is a sound database holding every primary row.
. "$(dirname "$0")/../faults.inc"
. "$(dirname "$0")/../common.inc"
merge_corrupt() {
  timeout 20 $hm -q primary.db corrupt.db -o out.db
}
output_sound() {
  [ "$(sqlite3 out.db 'PRAGMA integrity_check')" = ok ] && [ "$(rows out.db 'id <= 400')" = 400 ]
}
byte_flip_runs secondary.db 7919 17
