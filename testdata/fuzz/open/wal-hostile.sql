-- A WAL-mode input whose schema holds a view and a trigger that call functions: nothing of an
-- input's schema may run during a merge.
PRAGMA page_size = 512;
PRAGMA journal_mode = WAL;
CREATE TABLE click_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  page_url TEXT NOT NULL,
  x REAL NOT NULL,
  y REAL NOT NULL,
  user_agent TEXT,
  created_at TEXT NOT NULL
);
CREATE VIEW recent AS SELECT *, randomblob(8) FROM click_events;
INSERT INTO click_events (page_url, x, y, user_agent, created_at) VALUES
  ('/', 0.25, 0.5, 'Mozilla/5.0', '2026-02-18 09:58:00.2'),
  ('/"quoted";--', 0.5, 0.5, NULL, '2026-02-18T11:00:00+01:00'),
  ('/late', 0.5, 0.5, NULL, '2026-02-18 13:00:00');
-- Created last: it would fail (integer overflow) if anything fired it.
CREATE TRIGGER click_events_ai AFTER INSERT ON click_events BEGIN
  SELECT abs(-9223372036854775807 - 1), randomblob(new.id);
END;
