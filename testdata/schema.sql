-- The service's real table (Python/Flask heatmap microservice).
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
