#pragma once
// Where a run spills and what to (SpillSpace, SpillFile): unnamed temporary files beside the
// output, for the keys and plan stores that outgrow --memory-limit (run_store.hpp, key_store.hpp).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <utility>

namespace heatmap_merge {

// How many top bits of the group hash partition the spilled keys (key_store.hpp): 1024
// partitions, so that a partition of 16M keys (512 MiB) takes 512 KiB, sorts within the cache,
// and even 256M keys' partitions fit in the default budget's share.
inline constexpr int k_key_partition_bits = 10;

// Where a run's spill files go, how much it has spilled there (for the log), and how its spilled
// keys are partitioned: every store of one run by the same bits, so that partition p of one is
// matched against partition p of the others.
class SpillSpace {
public:
  explicit SpillSpace(std::filesystem::path directory, int partition_bits = k_key_partition_bits)
      : m_directory(std::move(directory)), m_partition_bits(partition_bits) {}

  const std::filesystem::path& directory() const {
    return m_directory;
  }
  int partition_bits() const {
    return m_partition_bits;
  }
  std::uint64_t spilled_bytes() const {
    return m_spilled.load();
  }
  void count(std::uint64_t bytes) {
    m_spilled += bytes;
  }

private:
  std::filesystem::path m_directory;
  int m_partition_bits;
  std::atomic<std::uint64_t> m_spilled{0};
};

// A temporary file that no directory lists: it is made unlinked (O_TMPFILE, or unlinked the
// moment it is made where the file system lacks that), so that it is gone on any exit, SIGKILL
// included, and a next run has nothing to clean up. Only read and written here, through its own
// descriptor: it never shares an inode with a database, whose POSIX locks a close would drop.
class SpillFile {
public:
  explicit SpillFile(SpillSpace& space);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `bytes` and returns where they start. A full disk is exit 74, naming the directory.
  std::uint64_t append(const void* data, std::size_t bytes);
  // Reads back what append wrote; safe from several threads at once.
  void read(std::uint64_t offset, void* data, std::size_t bytes) const;

private:
  SpillSpace& m_space;
  int m_fd = -1;
  std::uint64_t m_size = 0;
};

} // namespace heatmap_merge
