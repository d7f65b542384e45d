-- A secondary as the service writes it (testdata/schema.sql), small pages so that the fuzzer
-- mutates a small file: rows shared with fuzz_open's primary, an outage-only row, a failover
-- duplicate 1.3 s after the primary's, a double click, a conflict (same key, other columns).
PRAGMA page_size = 512;
.read schema.sql
INSERT INTO click_events (page_url, x, y, viewport_width, viewport_height, scroll_y, user_agent,
                          created_at) VALUES
  ('/', 0.25, 0.5, 1280, 720, 0, 'Mozilla/5.0', '2026-02-18T09:58:00Z'),
  ('/pricing', 0.75, 0.125, 390, 844, 300, NULL, '2026-02-18 10:00:03.500000'),
  ('/pricing', 0.75, 0.125, 390, 844, 300, NULL, '2026-02-18 10:00:04.8'),
  ('/docs', 0.1, 0.9, 800, 600, 0, 'Firefox', '2026-02-18 10:30:00.123456'),
  ('/signup', 0.5, 0.75, 1920, 1080, 120, 'Safari', '2026-02-18 10:05:00'),
  ('/signup', 0.5, 0.75, 1920, 1080, 120, 'Safari', '2026-02-18 10:05:00'),
  ('/blog', 0.3, 0.3, NULL, NULL, NULL, NULL, 'not a time');
