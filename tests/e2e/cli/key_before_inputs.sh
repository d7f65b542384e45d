# The options may come before the inputs, as the synopsis shows ("[OPTIONS] PRIMARY SECONDARY"):
# --key COLS must take one argument, not swallow the input paths that follow it.
. "$(dirname "$0")/../common.inc"
$hm --key page_url,x,y primary.db secondary.db -o out.db > /dev/null
assert_eq 465 "$(rows out.db)" "rows out"
