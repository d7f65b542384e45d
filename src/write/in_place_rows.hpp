#pragma once
// --in-place's rows, inside the writer (in_place.cpp): the planned rows still to write, a block
// at a time, and the re-check of each transaction against the rows the service wrote meanwhile.

#include "plan/plan.hpp"
#include "spill/key_store.hpp"
#include "spill/spill.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace SQLite {
class Database;
}

namespace heatmap_merge {

struct Options;
struct TableSchema;
class RawStatement;

// The rows one secondary adds, in the plan's order (new ids, which follow time): in memory, or
// beyond the plan's budget in one spill file, read a block at a time through a Reader. The instant
// of each block's first row is kept, so that the rows near a fresh row of the service are found
// without an index of every planned row: memory stays bounded however many rows an outage left.
class PlannedRows {
public:
  class Reader;

  PlannedRows(std::size_t input, const AddedRows& added, const PlanSpace& space);

  std::size_t input() const {
    return m_input;
  }
  std::size_t size() const {
    return m_count;
  }

private:
  static constexpr std::size_t k_block_rows = 1024;

  // Block `first` (a multiple of k_block_rows) into `rows`.
  void read_block(std::size_t first, std::vector<AddedRow>& rows) const;

  std::size_t m_input;
  std::size_t m_count = 0;
  std::vector<Instant> m_block_first;
  std::vector<AddedRow> m_memory;
  std::unique_ptr<SpillFile> m_file;
};

// Reads one PlannedRows through the block it read last. Bound to those rows for its whole life:
// a block cache shared by several secondaries, keyed only by block number, handed the second
// secondary the first one's rows (issue 31).
class PlannedRows::Reader {
public:
  explicit Reader(const PlannedRows& rows) : m_rows(&rows) {}

  const PlannedRows& rows() const {
    return *m_rows;
  }

  // Row `n` (less than rows().size()).
  const AddedRow& at(std::size_t n);

  // The first row whose instant is `from` or later.
  std::size_t lower_bound(Instant from);

private:
  const PlannedRows* m_rows;
  std::size_t m_first = static_cast<std::size_t>(-1);
  std::vector<AddedRow> m_block;
};

// One reader for each secondary's planned rows, which must outlive them.
std::vector<PlannedRows::Reader> readers_of(const std::vector<PlannedRows>& planned);

// The rows that others (the service) wrote to the live primary since the plan's snapshot, read
// incrementally at the start of each of our transactions (inside one, nobody else writes), and
// matched against the planned rows still to write as the plan matched rows: make_plan's one to
// one, nearest first matching within the window (match_keys), then, with --replay-window, the
// replay pass's across inputs on the rows left (match_replay_keys): a service row identical to a
// planned row but for the time may be its replayed copy. A planned row so matched is already
// there, and its match is used up.
class FreshRows {
public:
  FreshRows(SQLite::Database& live,
            const std::filesystem::path& path,
            const TableSchema& table,
            const std::vector<std::string>& compared_columns,
            const Options& options,
            std::int64_t snapshot_end,
            const std::vector<PlannedRows>& planned);
  ~FreshRows();

  // Reads what others wrote since the last call, and adds to `already_there` the new ids of the
  // planned rows from `next_id` on that it holds already.
  void catch_up(std::int64_t next_id, std::unordered_set<std::int64_t>& already_there);

  // Our own rows are not the service's: skip past them.
  void written_by_us(std::int64_t rowid) {
    m_last_seen = std::max(m_last_seen, rowid);
  }

private:
  void match(std::int64_t next_id, std::unordered_set<std::int64_t>& already_there);
  // The replay pass on what match() left: the service's rows not `used`, the `candidates` not
  // already there.
  void match_replays(std::vector<bool>& used,
                     const std::vector<RowKey>& candidates,
                     std::unordered_set<std::int64_t>& already_there);

  std::int64_t m_last_seen;
  int m_key_count;
  int m_compared_count; // read only with a replay window, for the payload
  std::chrono::nanoseconds m_window;
  std::chrono::nanoseconds m_replay_window;
  std::string m_buffer;
  std::unique_ptr<RawStatement> m_read;
  std::vector<RowKey> m_keys;                 // read since the last catch-up
  std::vector<PlannedRows::Reader> m_planned; // one per secondary
};

} // namespace heatmap_merge
