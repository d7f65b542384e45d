# No arguments at all: a usage error (64) on stderr that says what is missing, then a short usage
# line and where to find more; nothing written.
. "$(dirname "$0")/../common.inc"
expect_exit 64 $hm
grep -q "^heatmap-merge: error: no databases given" err
grep -qxF "Usage: heatmap-merge [OPTIONS] PRIMARY SECONDARY..." err
grep -qxF "Try 'heatmap-merge --help' for more information." err
assert_eq 3 "$(wc -l < err)" "lines on stderr"
# Options without inputs say the same.
expect_exit 64 $hm -n --window 2s
grep -q "no databases given" err
no_leftovers
