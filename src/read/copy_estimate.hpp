#pragma once
// How long copying an input would hold its read lock, estimated before any lock, for the plan of
// the private copies (plan_copies); Snapshot::estimate_copy times a sample of one file.

#include "read/input.hpp"

#include <chrono>
#include <filesystem>

namespace heatmap_merge {

// How fast the plain path gets through its inputs: a rollback-journal input's read lock is held
// from its snapshot to the end of the run (its rows are read again for the report and the
// writing), and a run takes about 3 s per GiB of input at 16M events on the 2-core machine of
// bench/README.md (5.1 GiB in 14-16 s), less when the machine is busy: 128 MiB/s, pessimistic,
// so that a loaded machine still keeps within the budget.
inline constexpr double k_plain_bytes_per_second = 128.0 * (1 << 20);

// How long copying each input would hold its lock, for the inputs in the order their copies are
// made: each copy leaves its pages dirty for the next, which has less headroom (dirty_headroom).
class CopyTimer {
public:
  explicit CopyTimer(const std::filesystem::path& directory) : m_directory(directory) {}
  std::chrono::duration<double> time(const Snapshot& input, std::chrono::milliseconds budget);

private:
  const std::filesystem::path& m_directory;
  double m_headroom = -1;     // read at the first copy, less each copy's bytes since
  double m_disk_per_byte = 0; // timed at the first copy that goes past the headroom
};

} // namespace heatmap_merge
