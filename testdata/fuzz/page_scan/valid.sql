-- The seed of fuzz_page_scan: the service's click table on 512-byte pages, so that its b-tree has
-- interior pages, with every kind of row the page scan treats apart: rows whose record spills
-- to overflow pages, rows from before a column was added (fewer fields than columns), integral
-- values in REAL columns (stored as integers), epoch-number times, deleted rows.
PRAGMA page_size = 512;
CREATE TABLE click_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL,
  x REAL NOT NULL,
  y REAL NOT NULL,
  viewport_width INTEGER,
  viewport_height INTEGER,
  scroll_y INTEGER,
  user_agent TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX idx_click_events_page ON click_events(page_url);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
                         created_at)
SELECT '/p/' || (i % 5), i * 10, i + 0.5, 1280, 800, CASE WHEN i % 7 = 0 THEN NULL ELSE i END,
       'UA ' || i, strftime('%Y-%m-%dT%H:%M:%SZ', 1771400000 + i * 7, 'unixepoch') FROM n;
UPDATE click_events SET user_agent = printf('%.700c', 'u') WHERE id IN (10, 11);
ALTER TABLE click_events ADD COLUMN source TEXT DEFAULT 'web';
WITH RECURSIVE n(i) AS (SELECT 61 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
INSERT INTO click_events(page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
                         created_at, source)
SELECT '/p/' || (i % 5), i * 10, i + 0.5, 1280, 800, i, 'UA ' || i,
       CASE WHEN i % 9 = 0 THEN 1771400000 + i * 7
            ELSE strftime('%Y-%m-%dT%H:%M:%SZ', 1771400000 + i * 7, 'unixepoch') END,
       CASE WHEN i % 4 = 0 THEN 'app' END FROM n;
DELETE FROM click_events WHERE id % 13 = 0;
