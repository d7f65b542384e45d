# The man page is lint-clean under mandoc, has an OPTIONS entry for every long option that --help
# lists, an EXIT STATUS entry for every exit code the tool returns, and a JSON REPORT entry for
# every field that --format json prints. MAN_PAGE overrides the page checked (to test this test).
. "$(dirname "$0")/common.inc"
page=${MAN_PAGE:-$SOURCE_DIR/man/heatmap-merge.1}
test -s "$page" || { echo "no man page at $page" >&2; exit 1; }
command -v mandoc >/dev/null || { echo "mandoc is not installed (scripts/install-deps.sh)" >&2; exit 1; }
failed=0
fail() {
  echo "man page: $*" >&2
  failed=1
}

# section NAME: the lines of section NAME, up to the next .Sh.
section() {
  awk -v want=".Sh $1" '$0 == want { on = 1; next } /^\.Sh / { on = 0 } on' "$page"
}

# Lint-clean: mandoc prints nothing at the warning level.
mandoc -T lint -W warning "$page" > lint 2>&1 || true
if [ -s lint ]; then
  fail "mandoc -T lint -W warning reports:"
  cat lint >&2
fi

# Every long option of --help is an item of OPTIONS (".It ... Fl Fl NAME").
$hm --help | grep -oE -- '--[a-z][a-z-]+' | sort -u > options
test -s options || { echo "no options found in --help" >&2; exit 1; }
section OPTIONS > options_section
test -s options_section || fail "no OPTIONS section"
while read -r option; do
  grep -qE "^\.It .*Fl Fl ${option#--}( |$)" options_section || fail "$option is not in OPTIONS"
done < options

# Every exit code is an item of EXIT STATUS: the ExitCode enum, and what app.cpp returns itself
# (70 for an internal error).
{
  sed -n '/enum class ExitCode/,/};/p' "$SOURCE_DIR/include/heatmap_merge/error.hpp" |
    grep -oE '= *[0-9]+' | tr -d '= '
  grep -oE 'return [0-9]+;' "$SOURCE_DIR/src/app.cpp" | grep -oE '[0-9]+'
} | sort -un > codes
test -s codes || { echo "no exit codes found in error.hpp" >&2; exit 1; }
section 'EXIT STATUS' > exit_status
test -s exit_status || fail "no EXIT STATUS section"
while read -r code; do
  grep -qE "^\.It $code( |$)" exit_status || fail "exit $code is not in EXIT STATUS"
done < codes

# Every field of the JSON report is named in JSON REPORT. One run shows them all: in place (the
# in_place object), within a window (its evidence), verbose (samples), over a day with outages
# (outages, hourly, heat), from a secondary with a column of its own (columns_added) and rows that
# conflict (samples of conflicts).
cp day-primary.db live.db
cp day-secondary.db extra.db
sqlite3 extra.db "ALTER TABLE click_events ADD COLUMN session_id TEXT;
  UPDATE click_events SET scroll_y = coalesce(scroll_y, 0) + 1
  WHERE id IN (SELECT id FROM click_events ORDER BY id LIMIT 3)"
$hm --in-place --window 2s --verbose --format json live.db extra.db > report.json 2>/dev/null
sqlite3 live.db "SELECT name FROM pragma_table_info('click_events')" | sort -u > columns
test -s columns
# Keys of the pretty-printed report, less the table's column names (the keys of samples' values).
grep -oE '"[A-Za-z0-9_]+": ' report.json | tr -d '": ' | sort -u | comm -23 - columns > fields
for field in in_place already_there near_misses histogram columns_added kept dropped heat outages; do
  grep -qx "$field" fields || { echo "the JSON report has no $field: the run did not show it" >&2; exit 1; }
done
section 'JSON REPORT' > json_section
test -s json_section || fail "no JSON REPORT section"
while read -r field; do
  grep -qE "Li $field( |$)" json_section || fail "JSON field $field is not in JSON REPORT"
done < fields
grep -qi 'stable' json_section || fail "JSON REPORT does not say the field set is stable"

# The sections that issue 2, 6 and 7 ask for.
for name in NAME SYNOPSIS DESCRIPTION OPTIONS 'JSON REPORT' 'SAFETY AND GUARANTEES' FILES \
  'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
  grep -qx ".Sh $name" "$page" || fail "no $name section"
done
section EXAMPLES > examples
grep -q -- '--config' examples || fail "EXAMPLES has no cron entry with --config"
grep -q -- '--format json' examples || fail "EXAMPLES has no JSON report"
grep -q -- '-n ' examples || fail "EXAMPLES has no dry run"
exit $failed
