-- Shared history, 2026-02-18 09:00 to 10:00 UTC: 240 clicks, ids 1 to 240. The secondary was
-- seeded from a copy of the primary, so both replicas hold these rows with the same ids.
-- Ids 100 and 101 are a real double click: same page, same spot, same second.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 240)
INSERT INTO click_events (id, page_url, x, y, viewport_width, viewport_height, scroll_y,
                          user_agent, created_at)
SELECT i,
       CASE (CASE WHEN i = 101 THEN 100 ELSE i END) % 4 WHEN 0 THEN '/' WHEN 1 THEN '/pricing' WHEN 2 THEN '/blog/sqlite-merge'
                  ELSE '/signup' END,
       CASE WHEN i = 101 THEN (100 * 37) % 1280 ELSE (i * 37) % 1280 END,
       CASE WHEN i = 101 THEN (100 * 53) % 2000 ELSE (i * 53) % 2000 END,
       CASE WHEN i % 3 = 0 THEN 390 ELSE 1920 END,
       CASE WHEN i % 3 = 0 THEN 844 ELSE 1080 END,
       (i * 91) % 1500,
       CASE WHEN i % 3 = 0
            THEN 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15'
            ELSE 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/121.0 Safari/537.36'
       END,
       CASE WHEN i = 101
            THEN strftime('%Y-%m-%d %H:%M:%f', '2026-02-18 09:00:00', '+' || (100 * 15) || ' seconds',
                          '+0.400 seconds')
            ELSE strftime('%Y-%m-%d %H:%M:%f', '2026-02-18 09:00:00', '+' || (i * 15) || ' seconds',
                          printf('%+.3f seconds', ((i * 137) % 1000) / 1000.0))
       END
FROM n;
-- The double click was logged with whole seconds (CURRENT_TIMESTAMP), so both rows are equal.
UPDATE click_events SET created_at = '2026-02-18 09:25:00' WHERE id IN (100, 101);
