-- The valid file of fuzz_shared_pages, and the seed its fuzzed twins start from: 512-byte pages
-- and 1,200 rows, so that the table's b-tree has interior pages over two levels, and an
-- index whose pages lie between.
PRAGMA page_size = 512;
CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER, pad TEXT);
CREATE INDEX t_v ON t(v);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
INSERT INTO t(id, v, pad) SELECT i, i % 7, printf('%.*c', 20 + i % 30, 'x') FROM n;
-- Two rows too long for a page: their leaves are never shared.
UPDATE t SET pad = printf('%.600c', 'y') WHERE id IN (100, 101);
