# A misspelled key in a --config file: exit 64 naming the file, the line, the key and the
# nearest known key; a key unlike any gets a pointer to --help instead. Nothing written.
. "$(dirname "$0")/../common.inc"
cat > nightly.toml <<'TOML'
# nightly
output = "out.db"
windw = "2s"
TOML
expect_exit 64 $hm --config nightly.toml primary.db secondary.db
grep -qxF 'heatmap-merge: error: nightly.toml:3: unknown key "windw" (did you mean "window"?)' err
printf 'dryrun = true\n' > dry.toml
expect_exit 64 $hm --config dry.toml primary.db secondary.db
grep -qF 'dry.toml:1: unknown key "dryrun" (did you mean "dry-run"?)' err
# A short option's letter is not a key: its long name is.
printf 'n = true\n' > letter.toml
expect_exit 64 $hm --config letter.toml primary.db secondary.db
grep -qF 'letter.toml:1: unknown key "n" (did you mean "dry-run"?)' err
printf '\n\nbananas = 3\n' > far.toml
expect_exit 64 $hm --config far.toml -n primary.db secondary.db
grep -qF 'far.toml:3: unknown key "bananas" (the keys are the long options without their dashes: see --help)' err
# The file is named as given, absolute or not.
expect_exit 64 $hm --config "$t/nightly.toml" primary.db secondary.db
grep -qF "$t/nightly.toml:3: unknown key" err
test ! -e out.db
no_leftovers
