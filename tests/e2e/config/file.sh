# --config reads long options from a TOML file, as a cron job would use it; a misspelled key is
# an error (exit 64), never silently ignored.
. "$(dirname "$0")/../common.inc"
cat > nightly.toml <<'TOML'
# heatmap-merge, nightly
output = "nightly.db"
force = true
window = "2s"
format = "json"
TOML
$hm --config nightly.toml primary.db secondary.db > report.json
assert_eq 460 "$(rows nightly.db)" "rows out"
grep -q '"rows_out": 460' report.json
printf 'windw = "2s"\n' > typo.toml
expect_exit 64 $hm --config typo.toml -n primary.db secondary.db
grep -q 'windw' err
