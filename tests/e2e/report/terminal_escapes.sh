# The text report, its -v samples and --format markdown show what comes from the data escaped
# (\x1b, \u{202e}), never raw: a page URL that would retitle and clear the terminal and forge a
# report line, a user agent with invalid UTF-8, a C1 CSI and a bidi override, and a column name
# with an escape sequence.
. "$(dirname "$0")/../common.inc"
esc=$(printf '\033')
# Row 241 is the first row the secondary adds (so it is sampled too); row 7 is a conflict.
sqlite3 secondary.db "ALTER TABLE click_events ADD COLUMN \"tag${esc}[2J\" TEXT;
  UPDATE click_events
  SET page_url = '/x' || char(27) || ']0;title' || char(7) || char(27) || '[2J' || char(13) ||
                 char(10) || 'would add 0 rows'
  WHERE id = 241;
  UPDATE click_events
  SET user_agent = CAST(X'4d6f7a2f35f6' AS TEXT) || char(155) || '2J' || char(8238) || 'gpj.exe'
  WHERE id IN (7, 241)"
$hm -n primary.db secondary.db > report
$hm -n -v primary.db secondary.db > verbose 2> log
$hm -n --format markdown primary.db secondary.db > report.md

# assert_no_raw FILE: none of the hostile bytes reached FILE as they are, and no line of it is
# the forged one.
assert_no_raw() {
  for bytes in '\033' '\007' '\r' '\302\233' '\366' '\342\200\256'; do
    if LC_ALL=C grep -q "$(printf "$bytes")" "$1"; then
      echo "$1 holds the raw bytes $bytes:" >&2
      cat -v "$1" >&2
      exit 1
    fi
  done
  if grep -q '^would add 0 rows' "$1"; then
    echo "$1 has a forged line:" >&2
    cat -v "$1" >&2
    exit 1
  fi
}
for file in report verbose log report.md; do
  assert_no_raw "$file"
done

page='/x\x1b]0;title\x07\x1b[2J\x0d\x0awould add 0 rows'
agent='Moz/5\xf6\xc2\x9b2J\u{202e}gpj.exe'
# Rows added per page, in the text report and in markdown (a code span in its table).
grep -qF "  $page  " report
grep -qF "| \`$page\` | 1 |" report.md
grep -qF 'column added: "tag\x1b[2J" (only in secondary.db)' report
# The samples: the added row and the conflict's dropped row.
grep -A 1 -xF '  secondary.db row 241 -> id 401:' verbose | grep -qF "    id=241 page_url=$page x="
grep -qxF "    user_agent=$agent" verbose
grep -A 1 -xF '  secondary.db row 7:' verbose | grep -qxF "    id=7 page_url=/signup x=259.0 y=371.0 viewport_width=1920"
grep -A 3 -xF '  secondary.db row 7:' verbose | grep -q '^    user_agent=Moz/5\\xf6\\xc2\\x9b2J\\u{202e}gpj.exe$'
grep -qF ' tag\x1b[2J=NULL' verbose
