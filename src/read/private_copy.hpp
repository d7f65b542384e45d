#pragma once
// The private copies of rollback-journal inputs (--max-lock-hold), planned before any lock by
// open_snapshots; the copy itself is Snapshot::start_copy and finish_copy (private_copy.cpp).

#include "read/input.hpp"

#include <cstddef>
#include <filesystem>
#include <sys/types.h>
#include <vector>

namespace heatmap_merge {

struct Options;

// Decides, before any lock, which rollback-journal inputs are read from a private copy made
// under their lock, and refuses (exit 75) those whose copy alone would outlast the budget. The
// primary of a run with an output is copied into it under its lock anyway (copy_primary), then
// let go: its copy is what must fit. WAL inputs never block the service's writers: read as ever.
// Tells -v of each copy in inputs.notes; refuses copies that `directory` has no room for.
std::vector<Snapshot*>
plan_copies(Snapshots& inputs, const Options& options, const std::filesystem::path& directory);

// Copies `length` bytes of `source` at `from` to `destination` at `to`, with copy_file_range while
// `kernel` holds, else (another file system, an old kernel: `kernel` turns false) by read and
// write. Returns the bytes copied, fewer at the end of the file, or -1 with errno.
ssize_t
copy_range(int source, off_t from, int destination, off_t to, std::size_t length, bool& kernel);

} // namespace heatmap_merge
