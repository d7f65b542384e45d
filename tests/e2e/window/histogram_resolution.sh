# The histogram of time differences has no bin finer than the data's resolution: the sample
# replicas' offsets come 100 ms apart, so no empty bin lies between two filled ones.
. "$(dirname "$0")/../common.inc"
for pair in "primary.db secondary.db" "day-primary.db day-secondary.db"; do
  set -- $pair
  for window in 1s 2s; do
    $hm -n --window $window "$1" "$2" > report
    grep -E '^ +[-0-9.]+m?s to [-0-9.]+m?s ' report > bins
    test "$(wc -l < bins)" -ge 2
    if grep -q ' 0$' bins; then
      echo "empty bin for $pair, --window $window:" >&2
      cat bins >&2
      exit 1
    fi
    $hm -n --window $window --format json "$1" "$2" > report.json
    grep -q '"resolution_ms": 100.0' report.json
  done
done
$hm -n --window 2s primary.db secondary.db > report
grep -Eq '^ +1.2s to 1.3s +#+ 1$' report
