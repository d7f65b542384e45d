// KeyStore (key_store.hpp): an input's keys, sorted in memory or partitioned in a spill file, and
// read back some partitions at a time; and sort_row_keys, a radix pass then std::sort.

#include "spill/key_store.hpp"

#include <algorithm>
#include <bit>
#include <future>
#include <stdexcept>

namespace heatmap_merge {

namespace {

// Moves `keys` into 2^bits buckets by the `bits` bits of group_hi below its top `common` ones,
// in place (one pass of American flag sort); returns where each bucket starts, and the end.
std::vector<std::size_t> partition_keys(std::span<RowKey> keys, int common, int bits) {
  const std::size_t buckets = std::size_t{1} << bits;
  const auto bucket_of = [common, bits](const RowKey& key) {
    return static_cast<std::size_t>((key.group_hi << common) >> (64 - bits));
  };
  std::vector<std::size_t> head(buckets + 1, 0);
  for (const RowKey& key : keys) {
    ++head[bucket_of(key) + 1];
  }
  for (std::size_t b = 1; b <= buckets; ++b) {
    head[b] += head[b - 1];
  }
  std::vector<std::size_t> next(head.begin(), head.end() - 1);
  for (std::size_t b = 0; b < buckets; ++b) {
    // Each key taken out of bucket b's unfilled part is swapped along to where it belongs
    // until one that belongs in b comes back.
    while (next[b] < head[b + 1]) {
      RowKey key = keys[next[b]];
      for (std::size_t target = bucket_of(key); target != b; target = bucket_of(key)) {
        std::swap(key, keys[next[target]++]);
      }
      keys[next[b]++] = key;
    }
  }
  return head;
}

} // namespace

// std::sort over a million keys spends its time on cache misses and branches it mispredicts;
// group hashes are uniform, so one pass of radix partitioning on their top bits first leaves
// buckets that sort within the cache.
void sort_row_keys(std::span<RowKey> keys, int common_bits, bool parallel) {
  constexpr KeyLess key_less;
  if (std::is_sorted(keys.begin(), keys.end(), key_less)) {
    return;
  }
  constexpr int k_bits = 11;
  constexpr std::size_t k_buckets = std::size_t{1} << k_bits;
  if (keys.size() < 4 * k_buckets || common_bits + k_bits > 64) {
    std::sort(keys.begin(), keys.end(), key_less);
    return;
  }
  const std::vector<std::size_t> head = partition_keys(keys, common_bits, k_bits);
  const auto sort_buckets = [&keys, &head, key_less](std::size_t first, std::size_t last) {
    for (std::size_t b = first; b < last; ++b) {
      std::sort(keys.begin() + static_cast<std::ptrdiff_t>(head[b]),
                keys.begin() + static_cast<std::ptrdiff_t>(head[b + 1]),
                key_less);
    }
  };
  if (!parallel) {
    sort_buckets(0, k_buckets);
    return;
  }
  // The buckets sort independently: the upper half in a second thread, which takes up a core
  // that the other inputs' scans have left idle (the primary's, the largest, finishes last).
  std::future<void> upper = std::async(std::launch::async, sort_buckets, k_buckets / 2, k_buckets);
  sort_buckets(0, k_buckets / 2);
  upper.get();
}

std::vector<RunCursor<RowKey>> KeyPart::cursors() const {
  if (m_runs) {
    return m_runs->cursors(RunStore<RowKey, KeyOrder>::k_run_buffer_items);
  }
  std::vector<RunCursor<RowKey>> cursors;
  cursors.emplace_back(m_view);
  return cursors;
}

KeyStore::KeyStore(SpillSpace* space, std::size_t max_items)
    : m_space(space), m_max_items(std::max<std::size_t>(max_items, 1)) {}

void KeyStore::reserve(std::size_t items) {
  m_buffer.reserve(std::min(items, m_max_items));
}

void KeyStore::add(const RowKey& key) {
  m_finished = false;
  if (m_buffer.size() >= m_max_items && m_space != nullptr) {
    spill();
  }
  if (m_space != nullptr) {
    make_room(m_buffer, m_max_items);
  }
  m_buffer.push_back(key);
  ++m_size;
}

void KeyStore::finish() {
  if (m_finished) {
    return;
  }
  m_finished = true;
  if (!m_chunks.empty()) {
    if (!m_buffer.empty()) {
      spill();
    }
    std::vector<RowKey>().swap(m_buffer);
    return;
  }
  sort_row_keys(m_buffer);
}

void KeyStore::spill() {
  Chunk chunk;
  chunk.starts = partition_keys(m_buffer, 0, m_space->partition_bits());
  if (!m_file) {
    m_file = std::make_shared<SpillFile>(*m_space);
  }
  chunk.offset = m_file->append(m_buffer.data(), m_buffer.size() * sizeof(RowKey));
  m_chunks.push_back(std::move(chunk));
  m_buffer.clear();
}

std::size_t KeyStore::spilled_keys(std::size_t first, std::size_t last) const {
  std::size_t count = 0;
  for (const Chunk& chunk : m_chunks) {
    count += chunk.starts[last] - chunk.starts[first];
  }
  return count;
}

KeyPart KeyStore::part(std::size_t first,
                       std::size_t last,
                       int bits,
                       SpillSpace* space,
                       std::size_t max_items,
                       std::vector<RowKey>& memory) const {
  if (!m_finished && (bits > 0 || !m_chunks.empty())) {
    // Its last keys are still in memory, unsorted: a bug of the caller's.
    throw std::logic_error("a key store was read before finish()");
  }
  KeyPart result;
  if (m_chunks.empty()) {
    const auto top = [bits](const RowKey& key) {
      return bits == 0 ? 0 : static_cast<std::size_t>(key.group_hi >> (64 - bits));
    };
    const auto begin = std::partition_point(
      m_buffer.begin(), m_buffer.end(), [&](const RowKey& key) { return top(key) < first; });
    const auto end = std::partition_point(
      begin, m_buffer.end(), [&](const RowKey& key) { return top(key) < last; });
    result.m_view = std::span<const RowKey>(begin, end);
    return result;
  }
  if (bits != m_space->partition_bits()) {
    throw std::logic_error("a spilled key store was read by other partitions than its own");
  }
  // Each chunk holds the partitions in order: theirs is one piece of it.
  const auto for_each_piece = [&](auto read) {
    for (const Chunk& chunk : m_chunks) {
      read(chunk.offset + chunk.starts[first] * sizeof(RowKey),
           chunk.starts[last] - chunk.starts[first]);
    }
  };
  const std::size_t count = spilled_keys(first, last);
  if (count <= max_items || space == nullptr) {
    if (memory.size() < count) {
      memory.resize(count);
    }
    RowKey* to = memory.data();
    for_each_piece([&](std::uint64_t offset, std::size_t keys) {
      m_file->read(offset, to, keys * sizeof(RowKey));
      to += keys;
    });
    // Partitioned again (the pieces of one chunk after another), then sorted a partition at a
    // time: a sort of them all at once would leave the cache.
    const int common = bits - static_cast<int>(std::bit_width(first ^ (last - 1)));
    const std::span<RowKey> loaded(memory.data(), count);
    if (common == bits) {
      sort_row_keys(loaded, bits, false);
    } else {
      const std::vector<std::size_t> starts = partition_keys(loaded, common, bits - common);
      for (std::size_t b = 0; b + 1 < starts.size(); ++b) {
        sort_row_keys(loaded.subspan(starts[b], starts[b + 1] - starts[b]), bits, false);
      }
    }
    result.m_view = loaded;
    return result;
  }
  // More than its memory (hot spots clicked millions of times, or billions of keys): sorted runs.
  result.m_runs = std::make_unique<RunStore<RowKey, KeyOrder>>(space, max_items);
  std::vector<RowKey> block(
    std::min<std::size_t>(max_items, RunStore<RowKey, KeyOrder>::k_run_buffer_items));
  for_each_piece([&](std::uint64_t offset, std::size_t keys) {
    while (keys > 0) {
      const std::size_t take = std::min(keys, block.size());
      m_file->read(offset, block.data(), take * sizeof(RowKey));
      for (std::size_t n = 0; n < take; ++n) {
        result.m_runs->add(block[n]);
      }
      offset += take * sizeof(RowKey);
      keys -= take;
    }
  });
  result.m_runs->finish();
  return result;
}

} // namespace heatmap_merge
