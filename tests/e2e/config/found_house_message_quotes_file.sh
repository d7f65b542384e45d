# A --config error that quotes the file quotes it as written: after a list left without its ']',
# a bare INI value (format = summary) is named as the file has it, not as the string toml++ was
# handed ('format = "summary"'). Found by comparing the config errors of the binary before the
# house (3ac4bbc, its own parser) with the toml++ one: the quote showed the INI pass's rewrite.
. "$(dirname "$0")/../common.inc"
check() { # check FILE-CONTENT EXPECTED-LINE
  printf '%b' "$1" > bad.toml
  expect_exit 64 $hm --config bad.toml -n
  grep -qxF -- "heatmap-merge: error: bad.toml:$2" err || { cat err >&2; exit 1; }
}
check 'inputs = [\n  "primary.db",\n  "secondary.db"\nformat = summary\n' \
  "4: the list of \"inputs\" needs a comma before 'format = summary'"
check 'inputs = ["primary.db",\n  "secondary.db",\n  window = 2s # two seconds\n' \
  "3: the list of \"inputs\" has an item not in quotes: 'window = 2s # two seconds'"
# A CRLF file's line end is no part of the quote.
check 'inputs = [\r\n  "primary.db",\r\n  "secondary.db"\r\nformat = summary\r\n' \
  "4: the list of \"inputs\" needs a comma before 'format = summary'"
no_leftovers
