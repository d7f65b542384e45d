// The key store (spill/key_store.hpp): what it is given comes back sorted, whole or partition by
// partition, kept in memory or spilled to unnamed files.
#include "plan_keys.hpp"
#include "spill/key_store.hpp"
#include "spill/spill.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <random>
#include <vector>

using heatmap_merge::KeyLess;
using plan_keys::row;
using plan_keys::RowKey;

TEST_CASE("spill: a store gives back what it was given, sorted, in memory or spilled") {
  for (const int partition_bits : {heatmap_merge::k_key_partition_bits, 1}) {
    CAPTURE(partition_bits);
    heatmap_merge::SpillSpace space(std::filesystem::temp_directory_path(), partition_bits);
    std::mt19937_64 random(5);
    for (const std::size_t max_keys : {1UL, 10UL, 1000UL, 100'000UL}) {
      CAPTURE(max_keys);
      heatmap_merge::KeyStore store(&space, max_keys);
      std::vector<RowKey> keys;
      for (std::int64_t n = 0; n < 20'000; ++n) {
        RowKey key = row(static_cast<std::uint32_t>(random() % 500), n % 97, n);
        key.group_hi = random();
        keys.push_back(key);
        store.add(key);
      }
      store.finish();
      CHECK(store.spilled() == (max_keys < keys.size()));
      std::sort(keys.begin(), keys.end(), KeyLess());
      std::vector<RowKey> got;
      store.for_each([&got](const RowKey& key) { got.push_back(key); });
      REQUIRE(got.size() == keys.size());
      CHECK(std::equal(got.begin(), got.end(), keys.begin(), [](const RowKey& a, const RowKey& b) {
        return a.rowid == b.rowid;
      }));
      // The partitions, read one by one within max_keys of memory, are the whole in order.
      const int bits = space.partition_bits();
      std::vector<RowKey> parts;
      std::vector<RowKey> memory;
      for (std::size_t p = 0; p < (std::size_t{1} << bits); ++p) {
        const heatmap_merge::KeyPart part = store.part(p, p + 1, bits, &space, max_keys, memory);
        for (heatmap_merge::RunMerger<RowKey, heatmap_merge::KeyOrder> merger(part.cursors());
             !merger.done();
             merger.advance()) {
          CHECK((merger.head().group_hi >> (64 - bits)) == p);
          parts.push_back(merger.head());
        }
      }
      REQUIRE(parts.size() == keys.size());
      CHECK(
        std::equal(parts.begin(), parts.end(), keys.begin(), [](const RowKey& a, const RowKey& b) {
          return a.rowid == b.rowid;
        }));
      // Read in batches of partitions that start anywhere, the same.
      const std::size_t all = std::size_t{1} << bits;
      for (const std::size_t batch : {std::size_t{3}, std::size_t{37}, all}) {
        CAPTURE(batch);
        std::vector<std::int64_t> rowids;
        std::size_t spilled = 0;
        for (std::size_t first = 0; first < all; first += batch) {
          const std::size_t last = std::min(first + batch, all);
          spilled += store.spilled_keys(first, last);
          const heatmap_merge::KeyPart part =
            store.part(first, last, bits, &space, max_keys, memory);
          for (heatmap_merge::RunMerger<RowKey, heatmap_merge::KeyOrder> merger(part.cursors());
               !merger.done();
               merger.advance()) {
            rowids.push_back(merger.head().rowid);
          }
        }
        CHECK(spilled == (store.spilled() ? keys.size() : 0));
        REQUIRE(rowids.size() == keys.size());
        for (std::size_t n = 0; n < keys.size(); ++n) {
          REQUIRE(rowids[n] == keys[n].rowid);
        }
      }
    }
  }
}
