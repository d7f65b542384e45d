-- A day of traffic with three outages, for the outage report. Run on a database that has
-- schema.sql; `.parameter set :role 'primary'` or 'secondary' picks the replica.
--
-- The primary gets a click every 20 s all day (2026-03-02 UTC) except during the outages:
--   1. 02:00:00 to 02:45:00   (135 clicks land on the secondary)
--   2. 09:10:00 to 09:20:00   (30 clicks)
--   3. 17:00:00 to 19:30:00   (450 clicks)
-- The secondary was seeded with the primary's first two hours (00:00 to 02:00), gets every
-- click made during the outages, and 40 failover duplicates scattered over the day, 1.2 to
-- 1.6 s after the primary's copy: isolated clicks, not outages.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4319),
clicks AS (
  SELECT i, i * 20 AS second,
         CASE WHEN i * 20 >= 2 * 3600 AND i * 20 < 2 * 3600 + 45 * 60 THEN 1
              WHEN i * 20 >= 9 * 3600 + 10 * 60 AND i * 20 < 9 * 3600 + 20 * 60 THEN 2
              WHEN i * 20 >= 17 * 3600 AND i * 20 < 19 * 3600 + 30 * 60 THEN 3
              ELSE 0 END AS outage
  FROM n
)
INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
                          created_at)
SELECT '/p/' || (i % 7), (i * 37) % 1280, (i * 53) % 2000, 1920, 1080, 0, 'Mozilla/5.0',
       strftime('%Y-%m-%d %H:%M:%f', '2026-03-02', '+' || second || ' seconds')
FROM clicks
WHERE (:role = 'primary' AND outage = 0)
   OR (:role = 'secondary' AND (outage > 0 OR second < 2 * 3600))
ORDER BY second;

-- Failover duplicates: every 107th primary click is also on the secondary, 1.2 to 1.6 s late.
WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 107 FROM n WHERE i + 107 < 4320)
INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
                          created_at)
SELECT '/p/' || (i % 7), (i * 37) % 1280, (i * 53) % 2000, 1920, 1080, 0, 'Mozilla/5.0',
       strftime('%Y-%m-%dT%H:%M:%f', '2026-03-02', '+' || (i * 20) || ' seconds',
                printf('%+.3f seconds', 1.2 + (i % 5) / 10.0))
FROM n
WHERE :role = 'secondary' AND i * 20 >= 2 * 3600
  AND NOT (i * 20 >= 2 * 3600 AND i * 20 < 2 * 3600 + 45 * 60)
  AND NOT (i * 20 >= 9 * 3600 + 10 * 60 AND i * 20 < 9 * 3600 + 20 * 60)
  AND NOT (i * 20 >= 17 * 3600 AND i * 20 < 19 * 3600 + 30 * 60);
