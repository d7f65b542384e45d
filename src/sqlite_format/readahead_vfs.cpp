// The read-ahead VFS (readahead_vfs.hpp): SQLite's default VFS wrapped so that a main database
// file is read in chunks of 256 KiB while the lock that makes them valid is held.

#include "sqlite_format/readahead_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace heatmap_merge {

namespace {

constexpr int k_chunk_bytes = 256 * 1024;
// A read this close after (or before) the previous one continues a scan in that direction;
// b-tree scans skip a few pages of other trees now and then. quick_check walks backwards.
constexpr sqlite3_int64 k_near_bytes = 64 * 1024;
constexpr char k_vfs_name[] = "heatmap-merge-readahead";

// SQLite allocates szOsFile bytes for each open file: this header, then the wrapped VFS's own
// file object right behind it.
struct ReadaheadFile {
  sqlite3_file base;
  sqlite3_file* real;
  char* chunk;
  sqlite3_int64 chunk_start;
  int chunk_size;
  bool enabled;
  sqlite3_int64 last_offset; // the previous read, to tell a scan from random reads
  sqlite3_int64 last_end;
};

sqlite3_vfs* g_real_vfs = nullptr;

ReadaheadFile* as_readahead(sqlite3_file* file) {
  return reinterpret_cast<ReadaheadFile*>(file);
}

sqlite3_file* real(sqlite3_file* file) {
  return as_readahead(file)->real;
}

void forget_chunk(sqlite3_file* file) {
  as_readahead(file)->chunk_size = 0;
}

void stop_reading_ahead(sqlite3_file* file) {
  forget_chunk(file);
  as_readahead(file)->enabled = false;
}

// Bytes 18 and 19 of the header are 2 in a WAL database.
bool holds_wal_header(const ReadaheadFile& file) {
  return file.chunk_start == 0 && file.chunk_size >= 20 &&
         (file.chunk[18] == 2 || file.chunk[19] == 2);
}

int read_ahead(sqlite3_file* handle, void* out, int amount, sqlite3_int64 offset) {
  ReadaheadFile& file = *as_readahead(handle);
  if (!file.enabled || amount > k_chunk_bytes) {
    return file.real->pMethods->xRead(file.real, out, amount, offset);
  }
  if (offset >= file.chunk_start && offset + amount <= file.chunk_start + file.chunk_size) {
    std::memcpy(out, file.chunk + (offset - file.chunk_start), static_cast<std::size_t>(amount));
    file.last_offset = offset;
    file.last_end = offset + amount;
    return SQLITE_OK;
  }
  // Random reads (a seek, the pages of a small query) get a page each: a chunk per page would
  // read 64 times what they need.
  const bool forward = offset >= file.last_end && offset - file.last_end <= k_near_bytes;
  const bool backward =
    offset + amount <= file.last_offset && file.last_offset - (offset + amount) <= k_near_bytes;
  file.last_offset = offset;
  file.last_end = offset + amount;
  // Only whole chunks inside the file: a read past its end keeps SQLite's own short-read handling.
  sqlite3_int64 file_size = 0;
  if ((forward || backward) && file.real->pMethods->xFileSize(file.real, &file_size) == SQLITE_OK &&
      offset + amount <= file_size) {
    const sqlite3_int64 start =
      forward ? offset : std::max<sqlite3_int64>(0, offset + amount - k_chunk_bytes);
    const int wanted = static_cast<int>(std::min<sqlite3_int64>(k_chunk_bytes, file_size - start));
    if (file.real->pMethods->xRead(file.real, file.chunk, wanted, start) == SQLITE_OK) {
      file.chunk_start = start;
      file.chunk_size = wanted;
      if (!holds_wal_header(file)) {
        std::memcpy(out, file.chunk + (offset - start), static_cast<std::size_t>(amount));
        return SQLITE_OK;
      }
      stop_reading_ahead(handle);
    }
    forget_chunk(handle);
  }
  return file.real->pMethods->xRead(file.real, out, amount, offset);
}

int close_file(sqlite3_file* handle) {
  ReadaheadFile& file = *as_readahead(handle);
  const int rc = file.real->pMethods->xClose(file.real);
  std::free(file.chunk);
  file.chunk = nullptr;
  return rc;
}

int write_file(sqlite3_file* handle, const void* data, int amount, sqlite3_int64 offset) {
  forget_chunk(handle);
  return real(handle)->pMethods->xWrite(real(handle), data, amount, offset);
}

int truncate_file(sqlite3_file* handle, sqlite3_int64 size) {
  forget_chunk(handle);
  return real(handle)->pMethods->xTruncate(real(handle), size);
}

int sync_file(sqlite3_file* handle, int flags) {
  return real(handle)->pMethods->xSync(real(handle), flags);
}

int file_size(sqlite3_file* handle, sqlite3_int64* size) {
  return real(handle)->pMethods->xFileSize(real(handle), size);
}

// Any change of lock, up or down, ends what a chunk may be trusted for.
int lock_file(sqlite3_file* handle, int level) {
  forget_chunk(handle);
  return real(handle)->pMethods->xLock(real(handle), level);
}

int unlock_file(sqlite3_file* handle, int level) {
  forget_chunk(handle);
  return real(handle)->pMethods->xUnlock(real(handle), level);
}

int check_reserved_lock(sqlite3_file* handle, int* result) {
  return real(handle)->pMethods->xCheckReservedLock(real(handle), result);
}

int file_control(sqlite3_file* handle, int operation, void* argument) {
  return real(handle)->pMethods->xFileControl(real(handle), operation, argument);
}

int sector_size(sqlite3_file* handle) {
  return real(handle)->pMethods->xSectorSize(real(handle));
}

int device_characteristics(sqlite3_file* handle) {
  return real(handle)->pMethods->xDeviceCharacteristics(real(handle));
}

// Shared memory means WAL: other processes' checkpoints may rewrite the main file.
int shm_map(sqlite3_file* handle, int region, int size, int extend, void volatile** memory) {
  stop_reading_ahead(handle);
  return real(handle)->pMethods->xShmMap(real(handle), region, size, extend, memory);
}

int shm_lock(sqlite3_file* handle, int offset, int count, int flags) {
  return real(handle)->pMethods->xShmLock(real(handle), offset, count, flags);
}

void shm_barrier(sqlite3_file* handle) {
  real(handle)->pMethods->xShmBarrier(real(handle));
}

int shm_unmap(sqlite3_file* handle, int delete_flag) {
  return real(handle)->pMethods->xShmUnmap(real(handle), delete_flag);
}

// No memory mapping: SQLite then reads through xRead.
int fetch(sqlite3_file*, sqlite3_int64, int, void** page) {
  *page = nullptr;
  return SQLITE_OK;
}

int unfetch(sqlite3_file*, sqlite3_int64, void*) {
  return SQLITE_OK;
}

const sqlite3_io_methods k_methods = {
  3,
  close_file,
  read_ahead,
  write_file,
  truncate_file,
  sync_file,
  file_size,
  lock_file,
  unlock_file,
  check_reserved_lock,
  file_control,
  sector_size,
  device_characteristics,
  shm_map,
  shm_lock,
  shm_barrier,
  shm_unmap,
  fetch,
  unfetch,
};

int open_file(sqlite3_vfs*, const char* name, sqlite3_file* handle, int flags, int* out_flags) {
  ReadaheadFile& file = *as_readahead(handle);
  file = ReadaheadFile{};
  file.real = reinterpret_cast<sqlite3_file*>(&file + 1);
  const int rc = g_real_vfs->xOpen(g_real_vfs, name, file.real, flags, out_flags);
  if (file.real->pMethods == nullptr) {
    return rc; // SQLite will not close a file whose methods are null
  }
  handle->pMethods = &k_methods;
  if (rc == SQLITE_OK && (flags & SQLITE_OPEN_MAIN_DB) != 0) {
    file.chunk = static_cast<char*>(std::malloc(k_chunk_bytes));
    file.enabled = file.chunk != nullptr;
  }
  return rc;
}

sqlite3_vfs g_vfs{};

std::atomic<bool> g_enabled{true};

} // namespace

void use_readahead(bool enabled) {
  g_enabled = enabled;
}

const char* readahead_vfs() {
  if (!g_enabled) {
    return ""; // what SQLiteCpp takes for the default VFS
  }
  static std::once_flag registered;
  std::call_once(registered, []() {
    g_real_vfs = sqlite3_vfs_find(nullptr);
    g_vfs = *g_real_vfs;
    g_vfs.zName = k_vfs_name;
    g_vfs.szOsFile = static_cast<int>(sizeof(ReadaheadFile)) + g_real_vfs->szOsFile;
    g_vfs.xOpen = open_file;
    g_vfs.pNext = nullptr;
    sqlite3_vfs_register(&g_vfs, 0);
  });
  return k_vfs_name;
}

sqlite3_file* unwrapped_file(sqlite3_file* file) {
  return file != nullptr && file->pMethods == &k_methods ? real(file) : file;
}

} // namespace heatmap_merge
