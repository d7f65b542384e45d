-- Another node's layout: epoch milliseconds as numbers, columns in another order, no
-- user_agent, an extra column, no AUTOINCREMENT.
PRAGMA page_size = 512;
CREATE TABLE click_events (
  created_at INTEGER NOT NULL,
  y REAL NOT NULL,
  x REAL NOT NULL,
  page_url TEXT NOT NULL,
  id INTEGER PRIMARY KEY,
  session_id TEXT,
  viewport_width INTEGER
);
INSERT INTO click_events (created_at, y, x, page_url, session_id, viewport_width) VALUES
  (1771408680000, 0.5, 0.25, '/', 's1', 1280),
  (1771408803500, 0.125, 0.75, '/pricing', 's2', 390),
  (1771408900.25, 0.5, 0.5, '/pricing', NULL, NULL),
  (1771409000, 0.9, 0.1, '/docs', 's3', 800);
