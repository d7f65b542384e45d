# --lock-timeout takes a DURATION as --window does (5s, 1500ms, 1m), and a plain number is
# seconds as it always was; over 1h, a unit that is not supported, or a negative number: exit 64
# saying which.
. "$(dirname "$0")/../common.inc"
for timeout in 5s 1500ms 1m 1h 0 5 0.5 3600; do
  $hm -q -n --lock-timeout "$timeout" primary.db secondary.db
done
expect_exit 64 $hm -n --lock-timeout 2h primary.db secondary.db
grep -q -- "--lock-timeout: '2h' is over the limit of 1h" err
expect_exit 64 $hm -n --lock-timeout 3601 primary.db secondary.db
grep -q -- "--lock-timeout: '3601' is over the limit of 1h" err
expect_exit 64 $hm -n --lock-timeout 1d primary.db secondary.db
grep -q -- "--lock-timeout: '1d': the unit 'd' is not supported" err
expect_exit 64 $hm -n --lock-timeout -3 primary.db secondary.db
grep -q -- "--lock-timeout: '-3' is negative" err
# What the value means: a plain number waits that many seconds, 1500ms a second and a half.
sqlite3 secondary.db 'PRAGMA journal_mode' | grep -qx delete
mkfifo writer.sql
sqlite3 secondary.db < writer.sql > writer.out &
writer=$!
exec 3> writer.sql
echo 'BEGIN EXCLUSIVE;' >&3
echo "INSERT INTO click_events(page_url, x, y, created_at) VALUES ('/l', 1, 1, '2026-03-01');" >&3
echo "SELECT 'locked';" >&3
n=0
until grep -q locked writer.out 2>/dev/null; do
  n=$((n + 1)); [ "$n" -lt 500 ] || { echo "the writer never took the lock" >&2; exit 1; }
  sleep 0.01
done
for timeout in 1500ms 2; do
  start=$(date +%s%N)
  expect_exit 75 timeout 20 $hm -n --lock-timeout "$timeout" primary.db secondary.db
  took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  want_ms=$(case $timeout in 2) echo 2000 ;; *) echo 1500 ;; esac)
  test "$took_ms" -ge "$want_ms" || { echo "--lock-timeout $timeout gave up after $took_ms ms" >&2; exit 1; }
  test "$took_ms" -lt $((want_ms + 3000)) || { echo "--lock-timeout $timeout took $took_ms ms" >&2; exit 1; }
done
exec 3>&-
wait "$writer"
rm writer.sql
