# No arguments at all: a usage error (64) on stderr, nothing written.
. "$(dirname "$0")/common.inc"
expect_exit 64 $hm
grep -q "heatmap-merge: error: .*try --help" err
no_leftovers
