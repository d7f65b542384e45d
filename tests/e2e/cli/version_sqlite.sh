# --version names the tool's version and the SQLite library it runs on (the shared one that
# Debian's security updates replace), then exits 0.
. "$(dirname "$0")/../common.inc"
$hm --version > version
sqlite=$(sqlite3 :memory: 'SELECT sqlite_version()')
grep -qE "^heatmap-merge [0-9]+\.[0-9]+\.[0-9]+ \(SQLite $sqlite\)$" version
assert_eq 1 "$(wc -l < version)" "lines"
