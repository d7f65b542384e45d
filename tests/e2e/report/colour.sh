# Colour only when stdout is a terminal and NO_COLOR is unset; never in a pipe.
. "$(dirname "$0")/../common.inc"
esc=$(printf '\033[')
$hm -n primary.db secondary.db > piped
if grep -qF "$esc" piped; then echo "escape codes in a pipe" >&2; exit 1; fi
NO_PROGRESS=1 script -qec "$hm -n primary.db secondary.db" /dev/null > tty
grep -qF "${esc}1m" tty
NO_COLOR=1 NO_PROGRESS=1 script -qec "$hm -n primary.db secondary.db" /dev/null > nocolour
if grep -qF "$esc" nocolour; then echo "escape codes despite NO_COLOR" >&2; exit 1; fi
