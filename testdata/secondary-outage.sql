-- The secondary (AWS eu-west-3) during and after the GCP outage. Its image writes Python's
-- isoformat(): a 'T' and six fraction digits.
--
-- Outage, 10:00 to 10:20 UTC: 60 clicks that exist only here, ids 241 to 300 (colliding with
-- the primary's ids 241 to 300, which are other clicks). Ids 250 and 251 are a double click.
WITH RECURSIVE n(i) AS (SELECT 241 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO click_events (id, page_url, x, y, viewport_width, viewport_height, scroll_y,
                          user_agent, created_at)
SELECT i,
       CASE i % 3 WHEN 0 THEN '/' WHEN 1 THEN '/pricing' ELSE '/status' END,
       CASE WHEN i = 251 THEN 640.5 ELSE (i * 41) % 1280 + 0.5 END,
       CASE WHEN i = 251 THEN 322.25 ELSE (i * 59) % 2000 + 0.25 END,
       1366, 768, 0,
       'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/122.0',
       strftime('%Y-%m-%dT%H:%M:%f000', '2026-02-18 10:00:00', '+' || ((i - 241) * 20) || ' seconds',
                printf('%+.3f seconds', ((i * 211) % 1000) / 1000.0))
FROM n;
UPDATE click_events SET x = 640.5, y = 322.25, page_url = '/status',
                        created_at = '2026-02-18T10:03:00' WHERE id = 250;
UPDATE click_events SET created_at = '2026-02-18T10:03:00' WHERE id = 251;

-- Failover duplicates, ids 301 to 305: the primary recorded clicks 300, 320, ..., 380 but
-- answered too late, so the client sent them here as well. They land 1.0 to 1.4 s later
-- (timeout and retry), plus 250 ms of clock skew between the clouds: 1.25 to 1.65 s.
INSERT INTO click_events (id, page_url, x, y, viewport_width, viewport_height, scroll_y,
                          user_agent, created_at)
SELECT 301 + (i - 300) / 20,
       CASE i % 4 WHEN 0 THEN '/' WHEN 1 THEN '/pricing' WHEN 2 THEN '/blog/sqlite-merge'
                  ELSE '/signup' END,
       (i * 37) % 1280, (i * 53) % 2000, 1920, 1080, (i * 91) % 1500,
       'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/121.0 Safari/537.36',
       strftime('%Y-%m-%dT%H:%M:%f000', '2026-02-18 10:20:00', '+' || ((i - 241) * 15) || ' seconds',
                printf('%+.3f seconds', ((i * 137) % 1000) / 1000.0),
                printf('%+.3f seconds', 1.25 + ((i / 20) % 5) / 10.0))
FROM (SELECT 300 AS i UNION ALL SELECT 320 UNION ALL SELECT 340 UNION ALL SELECT 360
      UNION ALL SELECT 380);

-- The seed copy was restored from an export that rewrote the last 20 history rows' times as
-- isoformat(): the same instants, written differently.
UPDATE click_events
SET created_at = replace(created_at, ' ', 'T') || '000'
WHERE id BETWEEN 221 AND 240;

-- One history row differs in another column (a truncated user agent): a conflict.
UPDATE click_events SET user_agent = 'Mozilla/5.0' WHERE id = 7;
