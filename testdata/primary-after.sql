-- The primary after the outage, 10:20 to 11:00 UTC: 160 clicks, ids 241 to 400. These ids
-- collide with the secondary's outage rows, which are other clicks.
-- Clicks 300, 320, 340, 360 and 380 timed out on the client (1 s) but were recorded here too:
-- the secondary holds them again, 1.0 to 1.5 s later (see secondary-outage.sql).
WITH RECURSIVE n(i) AS (SELECT 241 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO click_events (id, page_url, x, y, viewport_width, viewport_height, scroll_y,
                          user_agent, created_at)
SELECT i,
       CASE i % 4 WHEN 0 THEN '/' WHEN 1 THEN '/pricing' WHEN 2 THEN '/blog/sqlite-merge'
                  ELSE '/signup' END,
       (i * 37) % 1280, (i * 53) % 2000, 1920, 1080, (i * 91) % 1500,
       'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/121.0 Safari/537.36',
       strftime('%Y-%m-%d %H:%M:%f', '2026-02-18 10:20:00', '+' || ((i - 241) * 15) || ' seconds',
                printf('%+.3f seconds', ((i * 137) % 1000) / 1000.0))
FROM n;
UPDATE sqlite_sequence SET seq = 400 WHERE name = 'click_events';
