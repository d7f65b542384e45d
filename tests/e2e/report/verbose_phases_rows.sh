# -v logs each phase's duration, and rows only for the phases that count them: reading does,
# planning and describing do not, and say no "(0 rows)".
. "$(dirname "$0")/../common.inc"
$hm -n -v primary.db secondary.db > report 2> log
grep -q '^heatmap-merge: reading took [0-9.]*[mun]*s ([0-9]* rows)$' log
grep -q '^heatmap-merge: planning took [0-9.]*[mun]*s$' log
grep -q '^heatmap-merge: describing took [0-9.]*[mun]*s$' log
