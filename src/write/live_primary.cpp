// What --in-place's writers share on the live primary (live_primary.hpp): its connection.
#include "write/live_primary.hpp"

#include "read/input.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

namespace heatmap_merge {

SQLite::Database open_live(const std::filesystem::path& path, const Options& options) {
  try {
    SQLite::Database database(resolved_file(path).string(),
                              SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    wait_for_locks(database, options.lock_timeout);
    // A full page cache would spill mid-transaction, which flushes the journal: one insert then
    // takes as long as a commit and the transaction overruns its budget. Its pages are few (a
    // transaction inserts for a fraction of k_transaction_budget), so they stay.
    database.exec("PRAGMA cache_spill = OFF");
    harden(database);
    return database;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(path, e, "opening it for writing");
  }
}

} // namespace heatmap_merge
