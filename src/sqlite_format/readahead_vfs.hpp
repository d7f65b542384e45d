#pragma once
// A SQLite VFS that reads a main database file ahead in large chunks, for the connections of
// read/ and write/ that read whole tables: the inputs, their private copies, the output.

struct sqlite3_file;

namespace heatmap_merge {

// The name of a SQLite VFS that reads a main database file in chunks of 256 KiB instead of a
// system call per page: a full scan spends a quarter of its time in pread otherwise. It wraps the
// default VFS, which does everything else. Registered (not as the default) on first use.
//
// A chunk is served only while the lock SQLite held when reading it is still held, and never
// after a write or a truncation through the same handle, so it is what a page read would have
// returned: no other process can change a rollback-journal database under a SHARED lock. A WAL
// database's main file can change under a reader (checkpoints), so for it the wrapper reads
// page by page, like the default VFS.
const char* readahead_vfs();

// Turns the wrapper off for the connections opened after the call (readahead_vfs() then names
// SQLite's default VFS, as ""): the switch of Optimizations::readahead, set once per run.
void use_readahead(bool enabled);

// The file below the read-ahead wrapper, if `file` is one of its files, else `file`: for reading
// pages past the wrapper's chunk, which belongs to the connection's thread.
sqlite3_file* unwrapped_file(sqlite3_file* file);

} // namespace heatmap_merge
