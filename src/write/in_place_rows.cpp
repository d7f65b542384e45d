// --in-place's rows (in_place_rows.hpp): the planned rows a block at a time, and the match of the
// service's fresh rows against them, as make_plan matches, in each of the writer's transactions.
#include "write/in_place_rows.hpp"

#include "read/raw_statement.hpp"
#include "read/scan.hpp"
#include "read/schema.hpp"
#include "util/options.hpp"
#include "util/sql_text.hpp"
#include "util/timestamp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace heatmap_merge {

namespace {

// Added rows kept in the plan's order: their new ids.
using RowsByNewId = RunStore<AddedRow, Ascending<AddedRow, &AddedRow::new_id>>;

// A planned row as a key: the window compares the key and the time, the replay window the
// payload too.
RowKey as_key(const AddedRow& row, std::int64_t rowid) {
  RowKey key;
  key.group_hi = row.group_hi;
  key.group_lo = row.group_lo;
  key.payload = row.payload;
  key.instant = row.instant;
  key.rowid = rowid;
  return key;
}

// The instants within `window` of `instant`, clamped to the range of Instant.
std::pair<Instant, Instant> reach(Instant instant, std::uint64_t window) {
  const std::uint64_t below = instant_distance(INT64_MIN, instant);
  const std::uint64_t above = instant_distance(instant, INT64_MAX);
  return {instant - static_cast<Instant>(std::min(window, below)),
          instant + static_cast<Instant>(std::min(window, above))};
}

} // namespace

PlannedRows::PlannedRows(std::size_t input, const AddedRows& added, const PlanSpace& space)
    : m_input(input) {
  RowsByNewId by_id = space.spill == nullptr
                        ? RowsByNewId()
                        : RowsByNewId(space.spill, space.store_bytes / sizeof(AddedRow));
  added.for_each([&by_id](const AddedRow& row) { by_id.add(row); });
  by_id.finish();
  m_count = by_id.size();
  if (by_id.spilled()) {
    m_file = std::make_unique<SpillFile>(*space.spill);
  }
  std::vector<AddedRow> block;
  const auto flush = [&]() {
    if (block.empty()) {
      return;
    }
    m_block_first.push_back(block.front().instant);
    if (m_file) {
      m_file->append(block.data(), block.size() * sizeof(AddedRow));
    } else {
      m_memory.insert(m_memory.end(), block.begin(), block.end());
    }
    block.clear();
  };
  by_id.for_each([&](const AddedRow& row) {
    block.push_back(row);
    if (block.size() == k_block_rows) {
      flush();
    }
  });
  flush();
}

void PlannedRows::read_block(std::size_t first, std::vector<AddedRow>& rows) const {
  rows.resize(std::min(k_block_rows, m_count - first));
  if (m_file) {
    m_file->read(first * sizeof(AddedRow), rows.data(), rows.size() * sizeof(AddedRow));
  } else {
    std::copy_n(m_memory.begin() + static_cast<std::ptrdiff_t>(first), rows.size(), rows.begin());
  }
}

const AddedRow& PlannedRows::Reader::at(std::size_t n) {
  const std::size_t first = n / k_block_rows * k_block_rows;
  if (m_first != first) {
    m_rows->read_block(first, m_block);
    m_first = first;
  }
  return m_block[n - first];
}

std::size_t PlannedRows::Reader::lower_bound(Instant from) {
  const std::vector<Instant>& block_first = m_rows->m_block_first;
  const std::size_t after = static_cast<std::size_t>(
    std::lower_bound(block_first.begin(), block_first.end(), from) - block_first.begin());
  std::size_t n = after == 0 ? 0 : (after - 1) * k_block_rows;
  while (n < m_rows->size() && at(n).instant < from) {
    ++n;
  }
  return n;
}

std::vector<PlannedRows::Reader> readers_of(const std::vector<PlannedRows>& planned) {
  return {planned.begin(), planned.end()};
}

FreshRows::FreshRows(SQLite::Database& live,
                     const std::filesystem::path& path,
                     const TableSchema& table,
                     const std::vector<std::string>& compared_columns,
                     const Options& options,
                     std::int64_t snapshot_end,
                     const std::vector<PlannedRows>& planned)
    : m_last_seen(snapshot_end), m_key_count(static_cast<int>(options.key_columns.size())),
      m_compared_count(options.replay_window.count() > 0 ? static_cast<int>(compared_columns.size())
                                                         : 0),
      m_window(options.window), m_replay_window(options.replay_window),
      m_planned(readers_of(planned)) {
  std::vector<std::string> columns{options.time_column};
  columns.insert(columns.end(), options.key_columns.begin(), options.key_columns.end());
  // The compared columns in the order the key scan reads them, so that the payloads agree.
  columns.insert(
    columns.end(), compared_columns.begin(), compared_columns.begin() + m_compared_count);
  m_read = std::make_unique<RawStatement>(
    live,
    select_sql(table.rowid_expression(),
               columns,
               table.table,
               fmt::format("WHERE {0} > ?1 ORDER BY {0}", table.rowid_expression())),
    path);
}

FreshRows::~FreshRows() = default;

void FreshRows::catch_up(std::int64_t next_id, std::unordered_set<std::int64_t>& already_there) {
  m_read->reset();
  sqlite3_bind_int64(m_read->get(), 1, m_last_seen);
  RowKey key;
  bool more = false;
  while (m_read->step("re-checking for duplicates")) {
    if (read_row_key(m_read->get(), m_key_count, m_compared_count, m_buffer, key)) {
      m_keys.push_back(key);
      more = true;
    }
    m_last_seen = key.rowid;
  }
  if (more) {
    match(next_id, already_there);
  }
}

void FreshRows::match(std::int64_t next_id, std::unordered_set<std::int64_t>& already_there) {
  std::sort(m_keys.begin(), m_keys.end(), KeyLess());
  // The planned rows still to write in a fresh row's group and within the window, or the replay
  // window, of a fresh row (no other can pair, nor stand between two that do; one of another
  // fresh row's group is no harm); rowid: the new id. The spans within reach are merged, so
  // that each planned row is read once however many fresh rows reach it: a wide replay window
  // reaches much of an outage from every fresh row.
  const std::uint64_t window =
    static_cast<std::uint64_t>(std::max(m_window, m_replay_window).count());
  std::vector<std::pair<std::uint64_t, std::uint32_t>> groups;
  std::vector<std::pair<Instant, Instant>> spans;
  for (const RowKey& fresh : m_keys) {
    groups.emplace_back(fresh.group_hi, fresh.group_lo);
    spans.push_back(reach(fresh.instant, window));
  }
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::sort(spans.begin(), spans.end());
  std::vector<RowKey> candidates;
  for (PlannedRows::Reader& planned : m_planned) {
    for (std::size_t s = 0; s < spans.size();) {
      const Instant from = spans[s].first;
      Instant to = spans[s].second;
      for (++s; s < spans.size() && spans[s].first <= to; ++s) {
        to = std::max(to, spans[s].second);
      }
      for (std::size_t n = planned.lower_bound(from);
           n < planned.rows().size() && planned.at(n).instant <= to;
           ++n) {
        const AddedRow& row = planned.at(n);
        if (row.keyed && row.new_id >= next_id &&
            std::binary_search(
              groups.begin(), groups.end(), std::pair(row.group_hi, row.group_lo)) &&
            already_there.count(row.new_id) == 0) {
          candidates.push_back(as_key(row, row.new_id));
        }
      }
    }
  }
  std::sort(candidates.begin(), candidates.end(), KeyLess());
  candidates.erase(std::unique(candidates.begin(),
                               candidates.end(),
                               [](const RowKey& a, const RowKey& b) { return a.rowid == b.rowid; }),
                   candidates.end());
  std::vector<bool> used(m_keys.size(), false);
  for (const auto& [fresh, candidate] : match_keys(m_keys, candidates, m_window)) {
    already_there.insert(candidates[candidate].rowid);
    used[fresh] = true;
  }
  if (m_replay_window.count() > 0) {
    match_replays(used, candidates, already_there);
  }
  // A service row matched is used up: kept, it would match a second planned row at a later
  // catch-up (the split of in_place.cpp had dropped the line that kept only the others). One
  // left has every planned row within its reach paired already, and the planned rows to
  // write only ever get fewer: it never pairs later, and is not kept either, so that each
  // catch-up matches only what the service wrote since the last.
  m_keys.clear();
}

void FreshRows::match_replays(std::vector<bool>& used,
                              const std::vector<RowKey>& candidates,
                              std::unordered_set<std::int64_t>& already_there) {
  // The service's rows and the planned rows that the window left, as the plan's replay pass
  // takes only the rows its window pass left.
  std::vector<std::size_t> fresh_index;
  std::vector<RowKey> fresh_left;
  for (std::size_t n = 0; n < m_keys.size(); ++n) {
    if (!used[n]) {
      fresh_index.push_back(n);
      fresh_left.push_back(m_keys[n]);
    }
  }
  std::vector<RowKey> planned_left;
  for (const RowKey& candidate : candidates) {
    if (already_there.count(candidate.rowid) == 0) {
      planned_left.push_back(candidate);
    }
  }
  for (const auto& [fresh, planned] :
       match_replay_keys(fresh_left, planned_left, m_replay_window)) {
    already_there.insert(planned_left[planned].rowid);
    used[fresh_index[fresh]] = true;
  }
}

} // namespace heatmap_merge
