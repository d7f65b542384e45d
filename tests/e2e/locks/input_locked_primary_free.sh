# While a run waits for a locked secondary, it does not keep the primary locked: a service
# writing to the primary (5 s busy timeout) gets in. The secondary is held exclusively for 7 s
# and the run waits up to 10 s for it; holding the primary's read lock all that time would make
# the service's insert time out and lose the click.
. "$(dirname "$0")/../common.inc"
mkfifo holder.sql
sqlite3 secondary.db < holder.sql > holder.out &
holder=$!
exec 3> holder.sql
echo "BEGIN EXCLUSIVE; SELECT 'locked';" >&3
n=0
until grep -q locked holder.out 2>/dev/null; do
  n=$((n + 1)); [ "$n" -lt 500 ] || { echo "the secondary was never locked" >&2; exit 1; }
  sleep 0.01
done
$hm -n --lock-timeout 10 primary.db secondary.db > report 2> log &
run=$!
sleep 1
before=$(date +%s)
sqlite3 -cmd '.timeout 5000' primary.db "INSERT INTO click_events(page_url, x, y, created_at)
  VALUES ('/service', 1, 1, '2026-03-01 10:00:00')" || { echo "the service's insert failed" >&2; exit 1; }
test $(($(date +%s) - before)) -lt 4
sleep 5
echo "COMMIT;" >&3
exec 3>&-
wait "$holder"
wait "$run" || { cat log >&2; exit 1; }
assert_eq 1 "$(rows primary.db "page_url = '/service'")" "the service's click"
