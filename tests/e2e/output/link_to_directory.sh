# -o naming a symbolic link to a directory (a container volume mounted as /srv/merged -> /data/...)
# is a directory, as -o of the directory itself is: exit 73 "it is a directory", with or without
# -f, and the link stays (found by the breaker: without -f the message says "already exists (use
# --force to replace it)", and with -f the link to the directory is replaced by the database).
. "$(dirname "$0")/../common.inc"
says_directory() {
  grep -q 'it is a directory' err || { echo 'not said to be a directory:' >&2; cat err >&2; exit 1; }
}
mkdir volume
ln -s volume merged
expect_exit 73 $hm -q -o volume primary.db secondary.db
says_directory
expect_exit 73 $hm -q -o merged primary.db secondary.db
says_directory
expect_exit 73 $hm -n -q -o merged primary.db secondary.db
says_directory
expect_exit 73 $hm -q -f -o merged primary.db secondary.db
says_directory
test -L merged
