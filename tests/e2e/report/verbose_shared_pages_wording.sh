# -v says what pairing rows on shared pages means: they count as exact duplicates without being
# matched row by row (not "paired as they are").
. "$(dirname "$0")/../common.inc"
$hm -n -v primary.db secondary.db > report 2> log
if [ -n "${HEATMAP_MERGE_NO_OPTIMIZATIONS:-}" ]; then
  # No pages are compared with the optimisations off (CTest's second pass): nothing to say.
  if grep -q 'byte for byte' log; then
    echo "pages compared with the optimisations off" >&2
    exit 1
  fi
  exit 0
fi
grep -q '^heatmap-merge: 180 rows of secondary.db are on pages that primary.db holds byte for byte: counted as exact duplicates without matching them row by row$' log
if grep -q 'as they are' log; then
  echo "the old wording is back" >&2
  exit 1
fi
