#pragma once
// The private copies of rollback-journal inputs (--max-lock-hold), planned before any lock by
// open_inputs; the copy itself is InputDatabase::start_copy and finish_copy (private_copy.cpp).

#include "read/input.hpp"

#include <filesystem>
#include <vector>

namespace heatmap_merge {

struct Options;

// Decides, before any lock, which rollback-journal inputs are read from a private copy made
// under their lock, and refuses (exit 75) those whose copy alone would outlast the budget. The
// primary of a run with an output is copied into it under its lock anyway (copy_primary), then
// let go: its copy is what must fit. WAL inputs never block the service's writers: read as ever.
// Tells -v of each copy in inputs.notes; refuses copies that `directory` has no room for.
std::vector<InputDatabase*>
plan_copies(Inputs& inputs, const Options& options, const std::filesystem::path& directory);

} // namespace heatmap_merge
