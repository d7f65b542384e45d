#pragma once

#include "read/input.hpp"
#include "plan/plan.hpp"
#include "read/schema.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace heatmap_merge {

struct Options;
class OutputFile;
class Progress;

// The integrity check of the primary's copy, which may still be running in a thread of its own.
class CopyCheck {
public:
  CopyCheck() = default;
  explicit CopyCheck(std::future<void> running) : m_running(std::move(running)) {}
  // Waits for the check, and throws its finding (a corrupt copy) if it had one. Idempotent.
  void wait();

private:
  std::future<void> m_running;
};

// What the read phase leaves for planning and writing.
struct ReadPhase {
  std::vector<InputKeys> keys; // [0] the primary
  // The first id for an added row: above every id the primary holds or AUTOINCREMENT handed out.
  std::int64_t next_id = 1;
  // The primary's copy in the temporary output (new output, in place), open for writing.
  std::optional<SQLite::Database> copy;
  CopyCheck check; // after `copy`: destroyed, so waited for, first
  // What the added rows may take in memory while the copy's check runs: half of --memory-limit,
  // which the keys no longer take by then.
  std::uintmax_t unspilled_bytes = 0;

  // Where the primary's rows are read from now: its copy, or its snapshot in a dry run.
  SQLite::Database& primary(Inputs& inputs) {
    return copy ? *copy : inputs.databases.front()->database();
  }
};

// Reads what the planner needs of every input, each once, in threads of their own; with an
// `output`, copies the primary's snapshot into its temporary file first (the copy then stands for
// the primary, whose snapshot is released) and checks the copy's integrity beside the rest. Every
// optimisation of this phase lives in read_keys.cpp, behind its switch in options.optimizations.
// The keys take at most three quarters of options.memory_limit, beyond which they spill to
// `space`.
ReadPhase read_keys(Inputs& inputs,
                    OutputFile* output,
                    const ColumnLayout& layout,
                    const Options& options,
                    Progress& progress,
                    SpillSpace& space);

} // namespace heatmap_merge
