// The pipeline: merge() runs a merge as a list of passes, each a layer below (src/README.md),
// in merge_inputs, one line a pass; the helpers that glue the passes follow it.
#include "pipeline/merge.hpp"

#include "pipeline/input_checks.hpp"
#include "pipeline/memory_budget.hpp"
#include "plan/insights.hpp"
#include "plan/stats.hpp"
#include "read/details.hpp"
#include "read/input.hpp"
#include "read/read_keys.hpp"
#include "report/report.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/terminal_text.hpp"
#include "util/timestamp.hpp"
#include "write/backups.hpp"
#include "write/fit_probe.hpp"
#include "write/in_place.hpp"
#include "write/in_place_checks.hpp"
#include "write/output.hpp"
#include "write/primary_copy.hpp"
#include "write/sql_patch.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <sys/stat.h>

namespace heatmap_merge {

namespace {

// Where a run writes: nothing (dry run); a new output's temporary file, locked; or, in place, the
// primary, locked, with the backup's temporary file, which is the copy the plan is made from.
struct Destination {
  std::unique_ptr<RunLock> primary_lock;
  std::unique_ptr<OutputFile> file;
};

// The passes' glue, defined below merge_inputs.
MergeResult start_result(const Options& options);
Destination prepare_destination(const Options& options,
                                WriteMode mode,
                                const std::vector<std::filesystem::path>& inputs,
                                Progress& progress);
std::filesystem::path spill_directory(const Destination& destination);
ReadPhase read_beside_copy(Snapshots& inputs,
                           PrimaryCopy& copy,
                           const ColumnLayout& layout,
                           const Options& options,
                           Progress& progress,
                           SpillSpace& spill,
                           const MemoryBudget& memory);
ActivityMap note_activity(MergeResult& result, std::vector<Keys>& keys, const Options& options);
PlanSpace plan_merge(MergeResult& result,
                     ReadPhase& phase,
                     SpillSpace& spill,
                     const MemoryBudget& memory,
                     const Options& options,
                     Progress& progress);
void look_for_swaps(MergeResult& result, const Options& options, Progress& progress);
void gather_insights(MergeResult& result,
                     const ActivityMap& primary_activity,
                     const PlanSpace& space,
                     SQLite::Database& primary,
                     Snapshots& inputs,
                     const Options& options,
                     Progress& progress);
void write_plan(WriteMode mode,
                const PlanSpace& space,
                PrimaryCopy& copy,
                Destination& destination,
                Snapshots& inputs,
                MergeResult& result,
                const Options& options,
                Progress& progress,
                std::ostream* patch);

MergeResult merge_inputs(const Options& options, Progress& progress, std::ostream* patch) {
  const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  const WriteMode mode = write_mode(options);
  const MemoryBudget memory{options.memory_limit};
  MergeResult result = start_result(options);

  // Refuse a bad output or primary before reading anything, and lock it against a concurrent run.
  Destination destination = prepare_destination(options, mode, result.inputs, progress);
  // Open every input read-only, each as one consistent snapshot, with its click table's schema.
  Snapshots inputs = open_snapshots(result.inputs, options, spill_directory(destination));
  result.snapshot_time = std::chrono::system_clock::now();
  warn_of_hard_linked_wal(inputs, options, progress);
  // Check the schemas: columns are matched by name (and that a patch can add the rows); triggers.
  check_inputs(result, inputs, options, progress);
  // Where the keys and the plan spill beyond --memory-limit. Without partitioned_spill, spilled
  // keys take two partitions, the halves that are matched in two threads: each, too large for
  // memory, is sorted in runs that are merged back.
  SpillSpace spill(spill_directory(destination),
                   options.optimizations.partitioned_spill ? k_key_partition_bits : 1);
  // The write side's copy of the primary into the output and its check (a dry run's: none, and
  // the snapshot's check).
  PrimaryCopy copy(destination.file.get(), options, memory.rows_beside_check());
  // Read every input's keys, once each, while the primary is copied into the output and checked.
  ReadPhase phase = read_beside_copy(inputs, copy, result.layout, options, progress, spill, memory);
  // Note what the report shows of each input's activity.
  const ActivityMap primary_activity = note_activity(result, phase.keys, options);
  // Plan: which rows are duplicates, which are added, with what id.
  const PlanSpace space = plan_merge(result, phase, spill, memory, options, progress);
  // Warn if the inputs look swapped: the first must be the primary.
  look_for_swaps(result, options, progress);
  // Find the outages and read what the report shows of the added rows.
  gather_insights(result, primary_activity, space, copy.rows(), inputs, options, progress);
  // Write: nothing in a dry run (but its patch, with --format sql), else a new output or the rows
  // into the live primary.
  write_plan(mode, space, copy, destination, inputs, result, options, progress, patch);

  progress.finish();
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

} // namespace

MergeResult merge(const Options& options, Progress& progress, std::ostream* patch) {
  try {
    return merge_inputs(options, progress, patch);
  } catch (const Error& error) {
    // "Corrupt" only when the file is: an input that seemed so is checked again, once every
    // connection of the run is closed (a lock lost to a bug, or a writer that ignores locks,
    // shows as corruption otherwise).
    const std::filesystem::path& file = error.corrupt_file();
    const bool input =
      !file.empty() && (file == options.primary ||
                        std::find(options.secondaries.begin(), options.secondaries.end(), file) !=
                          options.secondaries.end());
    if (input) {
      progress.finish();
      throw confirm_corruption(error, options.lock_timeout);
    }
    throw;
  }
}

namespace {

// What the report tells of the run before anything is done: its inputs and mode.
MergeResult start_result(const Options& options) {
  MergeResult result;
  result.inputs.push_back(options.primary);
  result.inputs.insert(result.inputs.end(), options.secondaries.begin(), options.secondaries.end());
  result.dry_run = options.dry_run;
  result.in_place = options.in_place;
  result.output = options.output;
  result.window = options.window;
  result.replay_window = options.replay_window;
  result.remove_replays = options.remove_replays;
  return result;
}

// Refuses a bad output or primary before anything is read, and locks it against a concurrent run.
Destination prepare_destination(const Options& options,
                                WriteMode mode,
                                const std::vector<std::filesystem::path>& inputs,
                                Progress& progress) {
  refuse_repeated_inputs(inputs);
  if (mode == WriteMode::dry_run && options.output) {
    // A dry run of a job with an output predicts its refusals, with the same messages and exit
    // statuses: an existing file without --force, a missing directory, an input's name.
    check_output_target(*options.output, options.force, inputs);
  }
  if (options.in_place) {
    // A dry run predicts these refusals too, with the same exit status.
    check_primary_writable(options.primary);
    check_backup_directory(options);
  }
  Destination destination;
  if (mode == WriteMode::new_output) {
    check_output_target(*options.output, options.force, inputs);
    destination.file =
      std::make_unique<OutputFile>(*options.output, options.force, options.primary);
  } else if (mode == WriteMode::in_place) {
    // The primary is written through any link to it: its lock is the real file's.
    destination.primary_lock =
      std::make_unique<RunLock>(resolved_file(options.primary), options.primary);
    // Before any connection of ours holds a lock on the primary: see roll_back_hot_journal.
    if (roll_back_hot_journal(options.primary, options.lock_timeout)) {
      progress.tell(fmt::format("rolled back the hot journal of {} (a writer had stopped in the "
                                "middle of a transaction)",
                                display(options.primary)));
    }
    const std::filesystem::path backup = backup_path(options);
    check_output_target(backup, false, inputs);
    destination.file = std::make_unique<OutputFile>(backup, false, options.primary, false);
  }
  return destination;
}

// Where the keys and the plan spill beyond --memory-limit: beside the output (or the backup, in
// place), whose disk is known to take the merge; $TMPDIR in a dry run, which writes nothing.
std::filesystem::path spill_directory(const Destination& destination) {
  if (destination.file) {
    return std::filesystem::absolute(destination.file->temp_path()).parent_path();
  }
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? std::filesystem::path(tmpdir)
                                              : std::filesystem::path("/tmp");
}

// Reads every input's keys, once each (read/), while the write side copies the primary's
// snapshot into the output on a thread of its own and checks the copy (write/): the copy runs
// beside the secondaries' page comparison and scans, the primary's keys are read from it once it
// is made, and the check runs beside the scans, the planning and the writing.
ReadPhase read_beside_copy(Snapshots& inputs,
                           PrimaryCopy& copy,
                           const ColumnLayout& layout,
                           const Options& options,
                           Progress& progress,
                           SpillSpace& spill,
                           const MemoryBudget& memory) {
  KeyReader reader(inputs, copy.in_progress(), layout, options, progress, spill, memory.keys());
  copy.start(*inputs.databases.front());
  reader.start();
  copy.start_check();
  ReadPhase phase = reader.finish();
  copy.check_after_scans();
  return phase;
}

// Notes, for the report, the clicks per hour of every input, and takes their timelines, which the
// plan does not use; returns when the primary saw clicks, which tells outages from quiet hours.
ActivityMap note_activity(MergeResult& result, std::vector<Keys>& keys, const Options& options) {
  if (options.verbosity < 0) {
    return ActivityMap();
  }
  ActivityMap primary = ActivityMap::of(keys.front());
  for (Keys& input : keys) {
    result.insights.hourly.push_back(hourly_counts(input));
    result.insights.timelines.push_back(std::move(input.timeline));
  }
  return primary;
}

// Plans the merge (plan/): which rows are duplicates, which are added and with what id, in the
// memory the keys left; tells -v what spilled. Returns the planner's stores' budget, which the
// report's details and the writing use too.
PlanSpace plan_merge(MergeResult& result,
                     ReadPhase& phase,
                     SpillSpace& spill,
                     const MemoryBudget& memory,
                     const Options& options,
                     Progress& progress) {
  progress.phase("planning", 0);
  std::uint64_t held = 0;
  for (const Keys& input : phase.keys) {
    held += input.keys.memory_bytes();
  }
  const PlanSpace space{&spill, memory.plan_store(held)};
  result.plan = make_plan(std::move(phase.keys),
                          options.window,
                          phase.next_id,
                          space,
                          options.replay_window,
                          options.remove_replays);
  if (!result.plan.ids_left) {
    // Ids past SQLite's largest would wrap to negative ones: refused before anything is written.
    std::int64_t adding = 0;
    for (const Share& share : result.plan.shares) {
      adding += static_cast<std::int64_t>(share.added.size());
    }
    throw Error(ExitCode::data,
                fmt::format("{} has ids up to {} (its largest id or AUTOINCREMENT sequence), and "
                            "the {} rows to add need ids above them, past 9223372036854775807, "
                            "the largest SQLite has: nothing was written",
                            display(options.primary),
                            result.plan.first_new_id == k_no_id_left
                              ? INT64_MAX
                              : result.plan.first_new_id - 1,
                            adding),
                options.primary);
  }
  if (spill.spilled_bytes() > 0) {
    progress.note(fmt::format("spilled {:.1f} MiB of keys and plan to unnamed files in {} "
                              "(--memory-limit {:.1f} MiB)",
                              static_cast<double>(spill.spilled_bytes()) / (1 << 20),
                              display(spill.directory()),
                              static_cast<double>(options.memory_limit) / (1 << 20)));
  }
  return space;
}

// The fewest rows a secondary must add for a swap to be suspected (and k_swap_min_pairs, the
// fewest retry pairs that must disagree): a handful of either says nothing.
constexpr std::int64_t k_swap_min_rows = 10;

// Secondaries that look like the primary (SwapSuspicion): from counts the plan has anyway, and
// one pass over the time differences of the retry pairs. Failover retries reach the secondary
// after the primary, so given the right way round their median difference is positive; without
// enough pairs the counts alone decide.
std::vector<SwapSuspicion> find_swapped_inputs(const Plan& plan) {
  std::vector<SwapSuspicion> suspicions;
  const std::int64_t primary_rows = plan.shares.front().rows;
  for (std::size_t i = 1; i < plan.shares.size(); ++i) {
    const Share& input = plan.shares[i];
    SwapSuspicion suspicion;
    suspicion.secondary = i;
    suspicion.primary_lacks = static_cast<std::int64_t>(input.added.size());
    suspicion.secondary_lacks =
      std::max<std::int64_t>(0, primary_rows - input.duplicates_exact - input.duplicates_window);
    if (suspicion.primary_lacks < k_swap_min_rows ||
        suspicion.primary_lacks <= suspicion.secondary_lacks) {
      continue;
    }
    const OffsetSummary retries =
      summarize_offsets({&input.match_offsets, &input.near_miss_offsets}, 1);
    suspicion.retry_pairs = retries.count;
    suspicion.retry_median_ns = retries.median_ns;
    if (retries.count >= k_swap_min_pairs && retries.median_ns >= 0) {
      continue; // the retries say the first input is the primary
    }
    suspicions.push_back(suspicion);
  }
  return suspicions;
}

// Looks for secondaries that look like the primary, and warns of each on stderr, even in a quiet
// run: --quiet keeps a cron job's mail empty on success, and a job merging the wrong way round is
// what that mail is for.
void look_for_swaps(MergeResult& result, const Options& options, Progress& progress) {
  // Peers take every click alike: none is the primary that the other should have been.
  if (options.peers) {
    return;
  }
  result.swap_suspicions = find_swapped_inputs(result.plan);
  for (const SwapSuspicion& suspicion : result.swap_suspicions) {
    warn("warning: " + swap_warning(result, suspicion, display), options, progress);
  }
}

// Where each input's rows are read from: the primary's from `primary` (its snapshot or its copy).
std::vector<RowSource> row_sources(SQLite::Database& primary, Snapshots& inputs) {
  std::vector<RowSource> sources{{&primary, &inputs.tables.front()}};
  for (std::size_t i = 1; i < inputs.tables.size(); ++i) {
    sources.push_back({&inputs.databases[i]->database(), &inputs.tables[i]});
  }
  return sources;
}

// Finds the outages and reads what the report shows of the added rows.
void gather_insights(MergeResult& result,
                     const ActivityMap& primary_activity,
                     const PlanSpace& space,
                     SQLite::Database& primary,
                     Snapshots& inputs,
                     const Options& options,
                     Progress& progress) {
  // A patch shows only counts.
  if (options.verbosity < 0 || options.format == ReportFormat::sql) {
    return;
  }
  progress.phase("describing", 0);
  // The added rows' instants: sorted for the outages (spilled beyond the budget), counted by hour.
  InstantStore added = space.spill == nullptr
                         ? InstantStore()
                         : InstantStore(space.spill, space.store_bytes / sizeof(Instant));
  Timeline added_timeline;
  std::optional<Instant> first;
  std::optional<Instant> last;
  for (const Share& input : result.plan.shares) {
    input.added.for_each([&](const AddedRow& row) {
      if (row.instant != k_text_instant) {
        added.add(row.instant);
        added_timeline.add(row.instant);
        first = std::min(first.value_or(row.instant), row.instant);
        last = std::max(last.value_or(row.instant), row.instant);
      }
    });
  }
  added.finish();
  Insights& insights = result.insights;
  insights.outages = find_outages(added, primary_activity, k_outage_min_rows);
  insights.isolated_rows = static_cast<std::int64_t>(added.size());
  for (const Outage& outage : insights.outages) {
    insights.isolated_rows -= outage.rows;
  }
  insights.hourly_added = hourly_counts(added_timeline, first, last);
  insights.added_timeline = std::move(added_timeline);

  read_details(
    insights, result.plan, row_sources(primary, inputs), options, space, options.verbosity > 0);
}

// What the SQL patch's header says of the run: its writer sits below the report, which words the
// warnings; file names as they are, since the header escapes its lines itself.
PatchHeader patch_header(const MergeResult& result) {
  const PathText as_is = [](const std::filesystem::path& path) { return path.string(); };
  PatchHeader header;
  header.inputs = result.inputs;
  header.labels = role_labels(result.inputs.size());
  header.snapshot_time = result.snapshot_time;
  for (const SwapSuspicion& suspicion : result.swap_suspicions) {
    header.warnings.push_back(swap_warning(result, suspicion, as_is));
  }
  if (!result.triggers.empty()) {
    header.warnings.push_back(trigger_warning(result, as_is));
  }
  return header;
}

// Writes the plan as the run's mode says: nothing, or with --format sql the patch (a dry run's
// only writer), a new output, or into the live primary.
void write_plan(WriteMode mode,
                const PlanSpace& space,
                PrimaryCopy& copy,
                Destination& destination,
                Snapshots& inputs,
                MergeResult& result,
                const Options& options,
                Progress& progress,
                std::ostream* patch) {
  if (mode != WriteMode::new_output &&
      (!options.optimizations.fit_probe_by_schema || rows_may_not_fit(inputs))) {
    // A dry run and a patch insert nothing, and --in-place commits as it goes: the rows are tried
    // first, so that a row the table refuses exits 65 as the new output's would, before anything
    // is written. A finding of the primary's check comes before it, as when writing.
    try {
      probe_rows_fit(
        options.output.value_or(options.primary), inputs, result.layout, result.plan, progress);
    } catch (...) {
      copy.wait_for_check();
      throw;
    }
  }
  switch (mode) {
  case WriteMode::dry_run:
    // The primary's check (beside the scans, PrimaryCopy::start_check) must pass before the
    // patch's transactions are written, and before the report says anything.
    if (options.format == ReportFormat::sql) {
      write_sql_patch(*patch,
                      patch_header(result),
                      result.plan,
                      row_sources(copy.rows(), inputs),
                      options,
                      progress,
                      [&copy] { copy.wait_for_check(); });
    }
    copy.wait_for_check();
    return;
  case WriteMode::new_output:
    write_new_output(copy, *destination.file, inputs, result.layout, result.plan, progress);
    return;
  case WriteMode::in_place:
    result.in_place_summary = merge_in_place(
      copy, *destination.file, inputs, result.layout, result.plan, space, options, progress);
    return;
  }
}

} // namespace

} // namespace heatmap_merge
