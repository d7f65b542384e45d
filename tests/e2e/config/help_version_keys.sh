# help and version in a --config file are refused as what they are, command-line actions, not
# as unknown keys with themselves for a suggestion: exit 64 naming the file, the line and the key.
. "$(dirname "$0")/../common.inc"
for key in help version; do
  printf '# nightly\n%s = true\n' "$key" > "$key.toml"
  expect_exit 64 $hm --config "$key.toml" -n primary.db secondary.db
  grep -qxF "heatmap-merge: error: $key.toml:2: \"$key\" cannot be set in a config file" err
done
