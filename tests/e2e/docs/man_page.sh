# The man pages are lint-clean under mandoc and installed; heatmap-merge(1) leads with the merge
# and its options before the matching rules, and has an EXIT STATUS entry for every exit code the
# tool returns; heatmap-merge-report(5) has an entry for every field that --format json prints.
# MAN_PAGE and REPORT_PAGE override the pages checked (to test this test).
. "$(dirname "$0")/../common.inc"
page=${MAN_PAGE:-$SOURCE_DIR/man/heatmap-merge.1}
report_page=${REPORT_PAGE:-$SOURCE_DIR/man/heatmap-merge-report.5}
test -s "$page" || { echo "no man page at $page" >&2; exit 1; }
test -s "$report_page" || { echo "no man page at $report_page" >&2; exit 1; }
command -v mandoc >/dev/null || { echo "mandoc is not installed (scripts/install-deps.sh)" >&2; exit 1; }
failed=0
fail() {
  echo "man page: $*" >&2
  failed=1
}

# section NAME [PAGE]: the lines of section NAME, up to the next .Sh.
section() {
  awk -v want=".Sh $1" '$0 == want { on = 1; next } /^\.Sh / { on = 0 } on' "${2:-$page}"
}
# line_of PATTERN: the first line of the page that matches the extended regex PATTERN, or 0.
line_of() {
  grep -nE -m 1 "$1" "$page" | cut -d: -f1 | grep . || echo 0
}

# Lint-clean: mandoc prints nothing at the warning level.
for checked in "$page" "$report_page"; do
  mandoc -T lint -W warning "$checked" > lint 2>&1 || true
  if [ -s lint ]; then
    fail "mandoc -T lint -W warning reports on $checked:"
    cat lint >&2
  fi
done

# The merge first: DESCRIPTION, then OPTIONS, then the matching rules, then the rest; a reader
# meets the options after the typical run, not after the rules of duplicates.
description=$(line_of '^\.Sh DESCRIPTION$')
options_at=$(line_of '^\.Sh OPTIONS$')
rules=$(line_of '^\.Sh HOW ROWS ARE MERGED$')
duplicates=$(line_of '^\.Ss Duplicates$')
safety=$(line_of '^\.Sh SAFETY AND GUARANTEES$')
for at in "$description" "$options_at" "$rules" "$duplicates" "$safety"; do
  test "$at" -gt 0 || fail "a section is missing: DESCRIPTION $description, OPTIONS $options_at, HOW ROWS ARE MERGED $rules, Duplicates $duplicates"
done
test "$description" -lt "$options_at" -a "$options_at" -lt "$rules" -a "$rules" -lt "$duplicates" \
  -a "$duplicates" -lt "$safety" || fail "sections out of order: DESCRIPTION $description, OPTIONS $options_at, HOW ROWS ARE MERGED $rules, Duplicates $duplicates, SAFETY $safety"
# OPTIONS within the first screens of the rendered page (it was 90 lines of rules down).
MANWIDTH=80 mandoc -T utf8 "$page" | col -b > rendered
rendered_options=$(grep -n -m 1 '^OPTIONS$' rendered | cut -d: -f1)
test "${rendered_options:-999}" -le 100 || fail "OPTIONS starts at line ${rendered_options:-?} of the rendered page"
section DESCRIPTION > description_section
for step in -n ' -o ' --in-place '\.backup ' 'VACUUM INTO'; do
  grep -qe "$step" description_section || fail "DESCRIPTION does not show $step"
done

# That OPTIONS and --help name the same options is docs/help_options.sh.

# Every exit code is an item of EXIT STATUS: the ExitCode enum, and what app.cpp returns itself
# (70 for an internal error).
{
  sed -n '/enum class ExitCode/,/};/p' "$SOURCE_DIR/src/util/error.hpp" |
    grep -oE '= *[0-9]+' | tr -d '= '
  grep -oE 'return [0-9]+;' "$SOURCE_DIR/src/app/app.cpp" | grep -oE '[0-9]+'
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
$hm --in-place --alter-live-table --window 2s --verbose --format json live.db extra.db > report.json 2>/dev/null
sqlite3 live.db "SELECT name FROM pragma_table_info('click_events')" | sort -u > columns
test -s columns
# Keys of the pretty-printed report, less the table's column names (the keys of samples' values).
grep -oE '"[A-Za-z0-9_]+": ' report.json | tr -d '": ' | sort -u | comm -23 - columns > fields
for field in in_place already_there near_misses histogram columns_added kept dropped heat outages; do
  grep -qx "$field" fields || { echo "the JSON report has no $field: the run did not show it" >&2; exit 1; }
done
section 'JSON REPORT' "$report_page" > json_section
test -s json_section || fail "no JSON REPORT section in $report_page"
while read -r field; do
  grep -qE "Li $field( |$)" json_section || fail "JSON field $field is not in heatmap-merge-report(5)"
done < fields
grep -qi 'stable' "$report_page" || fail "heatmap-merge-report(5) does not say the field set is stable"
# The JSON reference moved out of heatmap-merge(1), which points to it.
grep -qx '.Sh JSON REPORT' "$page" && fail "heatmap-merge(1) still has the JSON REPORT section"
section OPTIONS | grep -q '^\.Xr heatmap-merge-report 5' || fail "--format does not name heatmap-merge-report(5)"
section 'SEE ALSO' | grep -q '^\.Xr heatmap-merge-report 5' || fail "SEE ALSO lacks heatmap-merge-report(5)"

# The sections that issue 2, 6, 7 and 16 ask for.
for name in NAME SYNOPSIS DESCRIPTION OPTIONS 'HOW ROWS ARE MERGED' 'SAFETY AND GUARANTEES' FILES \
  'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
  grep -qx ".Sh $name" "$page" || fail "no $name section"
done
for name in NAME SYNOPSIS DESCRIPTION 'JSON REPORT' EXAMPLES 'SEE ALSO'; do
  grep -qx ".Sh $name" "$report_page" || fail "no $name section in $report_page"
done
section EXAMPLES > examples
grep -q -- '--config' examples || fail "EXAMPLES has no cron entry with --config"
grep -q -- '--format json' examples || fail "EXAMPLES has no JSON report"
grep -q -- '-n ' examples || fail "EXAMPLES has no dry run"
# cron has no line continuation: the crontab entry is one line.
grep -E '^[0-9*][0-9*/,-]* [0-9*][0-9*/,-]* [0-9*][0-9*/,-]* [0-9*][0-9*/,-]* [0-9*][0-9*/,-]* ' \
  examples > cron_lines || true
test -s cron_lines || fail "EXAMPLES has no crontab line"
grep -q '\\e$' cron_lines && fail "the crontab line in EXAMPLES is continued with a backslash"

# Both pages are installed, compressed or not.
cmake --install "$BUILD_DIR" --prefix "$t/prefix" > /dev/null
for installed in man1/heatmap-merge.1 man5/heatmap-merge-report.5; do
  test -s "prefix/share/man/$installed" -o -s "prefix/share/man/$installed.gz" ||
    fail "cmake --install does not install $installed"
done
exit $failed
