#include "heatmap_merge/merge.hpp"

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/in_place.hpp"
#include "heatmap_merge/input.hpp"
#include "heatmap_merge/insights.hpp"
#include "heatmap_merge/options.hpp"
#include "heatmap_merge/output.hpp"
#include "heatmap_merge/progress.hpp"
#include "heatmap_merge/scan.hpp"
#include "heatmap_merge/shared_pages.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <future>
#include <memory>
#include <optional>

#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace heatmap_merge {

namespace {

// The largest id AUTOINCREMENT has handed out, which new ids must stay above even if those rows
// were deleted since.
std::int64_t autoincrement_sequence(SQLite::Database& database, const TableSchema& table) {
  if (!database.tableExists("sqlite_sequence")) {
    return 0;
  }
  SQLite::Statement query(database, "SELECT seq FROM main.sqlite_sequence WHERE name = ?1");
  query.bind(1, table.table);
  return query.executeStep() ? query.getColumn(0).getInt64() : 0;
}

// Each input's smallest and largest row id, found in O(log n). Row ids are nearly dense under
// AUTOINCREMENT, so the spans estimate the rows to read, for the progress percentage.
std::vector<RowRange> row_spans(std::vector<std::unique_ptr<InputDatabase>>& inputs,
                                const std::vector<TableSchema>& tables) {
  std::vector<RowRange> spans;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    try {
      // Two subqueries: min() and max() in one SELECT scan a whole index.
      const std::string table = "main." + quote_identifier(tables[i].table);
      SQLite::Statement query(inputs[i]->database(),
                              "SELECT coalesce((SELECT min(_rowid_) FROM " + table +
                                "), 1), "
                                "coalesce((SELECT max(_rowid_) FROM " +
                                table + "), 0)");
      query.executeStep();
      spans.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getInt64()});
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(inputs[i]->path(), e, "reading its rows");
    }
  }
  return spans;
}

// Whether the rows that the primary and its one secondary hold byte for byte can pair as they
// are (find_shared_rows): both files must stay as they are while their pages are compared (a
// rollback-journal secondary under its read lock; a rollback-journal primary under its snapshot,
// or the copy of a WAL primary) and declare the table alike, so that the same bytes mean the
// same values. With more secondaries the primary's rows are matched again by each, and are read.
bool can_share_rows(const std::vector<std::unique_ptr<InputDatabase>>& inputs,
                    const std::vector<TableSchema>& tables,
                    bool copied) {
  return inputs.size() == 2 && !inputs[1]->wal() && (copied || !inputs.front()->wal()) &&
         tables[0].root_page > 1 && tables[1].root_page > 1 && !tables[0].sql.empty() &&
         tables[0].sql == tables[1].sql;
}

// The added rows' pages that may stay in memory while the copy's check runs, however small the
// keys were.
constexpr std::uintmax_t k_min_unspilled_bytes = std::uintmax_t{64} << 20;

void describe(MergeResult& result,
              const ActivityMap& primary_activity,
              SQLite::Database* primary,
              std::vector<std::unique_ptr<InputDatabase>>& inputs,
              const std::vector<TableSchema>& tables,
              const Options& options) {
  std::vector<Instant> added;
  for (const InputPlan& input : result.plan.inputs) {
    for (const AddedRow& row : input.added) {
      if (row.instant != k_text_instant) {
        added.push_back(row.instant);
      }
    }
  }
  std::sort(added.begin(), added.end());
  Insights& insights = result.insights;
  insights.outages = find_outages(added, primary_activity, k_outage_min_rows);
  insights.isolated_rows = static_cast<std::int64_t>(added.size());
  for (const Outage& outage : insights.outages) {
    insights.isolated_rows -= outage.rows;
  }
  insights.hourly_added = hourly_counts(added);

  std::vector<DetailSource> sources{{primary, &tables.front()}};
  for (std::size_t i = 1; i < tables.size(); ++i) {
    sources.push_back({&inputs[i]->database(), &tables[i]});
  }
  read_details(insights, result.plan, sources, options, options.verbosity > 0);
}

// The primary's copy and scan are the longest piece of work of the read phase, about as long as
// all the rest together on two cores: the other threads lower their priority by `steps`, so that
// the primary's scan keeps a core and finishes when the rest does, instead of sharing a core with
// them and finishing last. Relative: a run under nice stays under it.
void yield_to_primary_scan(int steps) {
  const id_t thread = static_cast<id_t>(gettid());
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, thread);
  if (errno == 0) {
    setpriority(PRIO_PROCESS, thread, std::min(current + steps, 19));
  }
}

// Where --in-place keeps the backup: beside the primary (or in --backup-dir), named after it and
// the time, e.g. heatmap.db.backup-20261128T153000Z.
std::filesystem::path backup_path(const Options& options) {
  const std::filesystem::path directory =
    options.backup_dir ? *options.backup_dir
                       : std::filesystem::absolute(options.primary).parent_path();
  const std::time_t now = std::time(nullptr);
  const std::string base = fmt::format(
    "{}.backup-{:%Y%m%dT%H%M%SZ}", options.primary.filename().string(), fmt::gmtime(now));
  // Runs within one second get -2, -3...; the primary's lock keeps this free of races.
  std::filesystem::path path = directory / base;
  for (int n = 2; std::filesystem::exists(path) && n < 1000; ++n) {
    path = directory / fmt::format("{}-{}", base, n);
  }
  return path;
}

MergeResult merge_inputs(const Options& options, Progress& progress) {
  const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  MergeResult result;
  result.inputs.push_back(options.primary);
  result.inputs.insert(result.inputs.end(), options.secondaries.begin(), options.secondaries.end());
  result.dry_run = options.dry_run;
  result.output = options.output;
  result.window = options.window;

  // Refuse a bad output before reading anything, and lock it against a concurrent run. In place,
  // the primary is locked, and the "output" is its backup: the copy the plan is made from.
  refuse_repeated_inputs(result.inputs);
  if (options.in_place) {
    check_primary_writable(options.primary); // a dry run predicts the refusal too
  }
  std::unique_ptr<RunLock> primary_lock;
  std::unique_ptr<OutputFile> output_file;
  if (options.in_place && !options.dry_run) {
    primary_lock = std::make_unique<RunLock>(options.primary);
    // Before any connection of ours holds a lock on the primary: see roll_back_hot_journal.
    if (roll_back_hot_journal(options.primary, options.lock_timeout) && options.verbosity >= 0) {
      fmt::print(stderr,
                 "heatmap-merge: rolled back the hot journal of {} (a writer had stopped in the "
                 "middle of a transaction)\n",
                 display(options.primary));
    }
    const std::filesystem::path backup = backup_path(options);
    check_output_target(backup, false, result.inputs);
    output_file = std::make_unique<OutputFile>(backup, false, options.primary, false);
  } else if (!options.dry_run) {
    check_output_target(*options.output, options.force, result.inputs);
    output_file = std::make_unique<OutputFile>(*options.output, options.force, options.primary);
  }

  // Open every input read-only, each as one consistent snapshot.
  std::vector<std::unique_ptr<InputDatabase>> inputs;
  for (const std::filesystem::path& path : result.inputs) {
    inputs.push_back(std::make_unique<InputDatabase>(path, options.lock_timeout));
    inputs.back()->begin_snapshot();
  }

  // Check the schemas: columns are matched by name.
  std::vector<TableSchema> tables;
  for (const std::unique_ptr<InputDatabase>& input : inputs) {
    try {
      tables.push_back(read_table_schema(input->database(), input->path(), options.table));
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(input->path(), e, "reading its schema");
    }
  }
  result.layout = check_schemas(tables, options);

  // Copy the primary's snapshot into the temporary output (from then on the copy stands for the
  // primary, and the live primary is released) and read its keys, while other threads read the
  // secondaries' keys.
  std::optional<SQLite::Database> output;
  std::int64_t total_rows = 0;
  for (const RowRange& span : row_spans(inputs, tables)) {
    total_rows += span.last - span.first + 1;
  }
  progress.phase("reading", total_rows);
  std::int64_t sequence = 0;
  std::promise<void> copy_made;
  std::shared_future<void> copied = copy_made.get_future().share();
  // With one secondary, the rows that it and the primary hold byte for byte, at the same row ids,
  // pair with each other as they are: the secondary's thread finds them by comparing pages, and
  // then neither input reads their keys.
  const bool sharing = can_share_rows(inputs, tables, output_file != nullptr);
  const bool primary_wal = inputs.front()->wal();
  // Their pages are read through the connections' own file handles, taken here, before the
  // threads use the connections: see find_shared_rows.
  sqlite3_file* const primary_pages =
    sharing && !primary_wal ? database_file(inputs.front()->database()) : nullptr;
  sqlite3_file* const secondary_pages = sharing ? database_file(inputs[1]->database()) : nullptr;
  std::promise<SharedRows> shared_found;
  std::shared_future<SharedRows> shared_rows = shared_found.get_future().share();
  SharedKeys shared_keys;
  std::vector<std::future<InputKeys>> scans;
  scans.push_back(std::async(std::launch::async, [&]() {
    SQLite::Database* primary = &inputs.front()->database();
    std::filesystem::path path = options.primary;
    if (output_file) {
      try {
        output.emplace(
          copy_primary(*inputs.front(), output_file->temp_path(), options.lock_timeout));
      } catch (...) {
        copy_made.set_exception(std::current_exception());
        throw;
      }
      copy_made.set_value();
      output_file->flush_early();
      // The pages may be compared in the live primary's file: only while its snapshot holds.
      if (sharing) {
        shared_rows.wait();
      }
      inputs.front().reset();
      primary = &*output;
      path = output_file->temp_path();
    }
    try {
      sequence = autoincrement_sequence(*primary, tables.front());
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(path, e, "reading sqlite_sequence");
    }
    InputKeys primary_keys =
      scan_keys(*primary,
                tables.front().path,
                tables.front(),
                result.layout,
                options,
                progress,
                sharing ? shared_rows.get().ranges : std::vector<RowRange>());
    sort_keys(primary_keys);
    return primary_keys;
  }));
  for (std::size_t i = 1; i < tables.size(); ++i) {
    scans.push_back(std::async(std::launch::async, [&, i]() {
      yield_to_primary_scan(3);
      std::vector<RowRange> ranges;
      if (sharing) {
        try {
          // A WAL primary's file is not its snapshot: its copy is.
          std::optional<SQLite::Database> copy;
          sqlite3_file* primary_file = primary_pages;
          if (primary_wal) {
            copied.get();
            copy.emplace(open_reader(output_file->temp_path(), options.lock_timeout));
            primary_file = database_file(*copy);
          }
          shared_found.set_value(find_shared_rows(
            primary_file, tables[0].root_page, secondary_pages, tables[1].root_page));
        } catch (...) {
          shared_found.set_exception(std::current_exception());
          throw;
        }
        ranges = shared_rows.get().ranges;
      }
      InputKeys secondary_keys = scan_keys(
        inputs[i]->database(), tables[i].path, tables[i], result.layout, options, progress, ranges);
      if (!ranges.empty()) {
        shared_keys =
          scan_shared(inputs[i]->database(), tables[i].path, tables[i], options, progress, ranges);
        progress.add(shared_keys.rows()); // their twins in the primary
      }
      sort_keys(secondary_keys);
      return secondary_keys;
    }));
  }
  // The copy's integrity check runs beside the scans and the planning: a third thread, so that
  // whichever core is free takes it up.
  std::future<void> verified;
  if (output_file && options.verify) {
    verified = std::async(std::launch::async, [&]() {
      copied.get();
      yield_to_primary_scan(10);
      SQLite::Database copy = open_reader(output_file->temp_path(), options.lock_timeout);
      verify_database(copy, options.primary);
    });
  }
  std::vector<InputKeys> keys;
  for (std::future<InputKeys>& scan : scans) {
    keys.push_back(scan.get());
  }
  if (sharing && !shared_rows.get().ranges.empty()) {
    const SharedRows& found = shared_rows.get();
    if (shared_keys.rows() == found.rows) {
      const std::shared_ptr<const std::vector<Instant>> instants =
        std::make_shared<const std::vector<Instant>>(std::move(shared_keys.paired));
      for (InputKeys& input : keys) {
        add_shared(input, shared_keys, instants);
      }
      progress.note(fmt::format("{} rows lie on pages that {} and {} hold byte for byte: paired "
                                "as they are",
                                found.rows,
                                display(options.primary),
                                display(options.secondaries.front())));
    } else {
      // SQLite read another number of rows there than the pages hold, which only a damaged
      // b-tree can make it do: both inputs' rows there are read as all others, never guessed.
      SQLite::Database& primary = output ? *output : inputs.front()->database();
      const std::vector<RowRange> only = complement(found.ranges);
      add_rows(
        keys[0],
        scan_keys(primary, tables[0].path, tables[0], result.layout, options, progress, only));
      add_rows(keys[1],
               scan_keys(inputs[1]->database(),
                         tables[1].path,
                         tables[1],
                         result.layout,
                         options,
                         progress,
                         only));
      sort_keys(keys[0]);
      sort_keys(keys[1]);
    }
  }
  if (!output_file && options.verify) {
    verify_database(inputs.front()->database(), options.primary);
  }
  const std::int64_t next_id = std::max(keys.front().max_rowid, sequence) + 1;

  // Note, for the report, the clicks per hour of every input and when the primary saw clicks.
  const bool report_details = options.verbosity >= 0;
  ActivityMap primary_activity;
  if (report_details) {
    for (const InputKeys& input : keys) {
      result.insights.hourly.push_back(hourly_counts(input));
    }
    primary_activity = ActivityMap::of(keys.front());
  }

  // What the keys took in memory: the written pages may take as much, kept in memory while the
  // copy's integrity check runs, without raising the peak.
  std::uintmax_t keys_bytes = 0;
  for (const InputKeys& input : keys) {
    keys_bytes += input.keys.capacity() * sizeof(RowKey);
  }

  // Plan: which rows are duplicates, which are added, with what id.
  progress.phase("planning", 0);
  result.plan = make_plan(std::move(keys), options.window, next_id);

  // Find the outages and read what the report shows of the added rows.
  if (report_details) {
    progress.phase("describing", 0);
    describe(result,
             primary_activity,
             output ? &*output : &inputs.front()->database(),
             inputs,
             tables,
             options);
  }

  // Nothing is built on the copy before it has passed its check: the added rows are written
  // while it runs, but only committed once it has passed, and its finding comes first.
  const auto join_check = [&verified]() {
    if (verified.valid()) {
      verified.get();
    }
  };

  // In place: keep the backup only if something is to change, then insert into the live primary.
  if (options.in_place && output_file) {
    join_check();
    result.in_place.emplace();
    if (result.plan.rows_out > result.plan.inputs.front().rows ||
        !result.layout.added_columns.empty()) {
      progress.phase("writing the backup", 0);
      output.reset();
      output_file->commit();
      result.in_place->backup = output_file->target();
      if (options.verbosity >= 0) {
        fmt::print(stderr,
                   "heatmap-merge: backed up {} to {}\n",
                   display(options.primary),
                   display(result.in_place->backup));
      }
      std::vector<DetailSource> sources{{nullptr, &tables.front()}};
      for (std::size_t i = 1; i < tables.size(); ++i) {
        sources.push_back({&inputs[i]->database(), &tables[i]});
      }
      progress.phase("writing", result.plan.rows_out - result.plan.inputs.front().rows);
      const InPlaceSummary summary = insert_in_place(
        options.primary, tables.front(), result.layout, sources, result.plan, options, progress);
      const std::filesystem::path backup = result.in_place->backup;
      result.in_place = summary;
      result.in_place->backup = backup;
    }
    output_file.reset();
  }

  // Write the added rows in one transaction and move the output into place.
  if (output_file) {
    std::int64_t adding = 0;
    for (const InputPlan& input : result.plan.inputs) {
      adding += static_cast<std::int64_t>(input.added.size());
    }
    progress.phase("writing", adding);
    try {
      // While the check reads the copy, the added rows' pages stay in memory (nothing may reach
      // the file before the commit): only if they fit in what the keys took, else it goes first.
      std::uintmax_t adding_bytes = 0;
      for (std::size_t i = 1; i < tables.size(); ++i) {
        std::error_code error;
        const std::uintmax_t size = std::filesystem::file_size(result.inputs[i], error);
        const InputPlan& input = result.plan.inputs[i];
        if (!error && input.rows > 0) {
          adding_bytes += size / static_cast<std::uintmax_t>(input.rows) * input.added.size();
        }
      }
      if (adding_bytes > std::max(keys_bytes, k_min_unspilled_bytes)) {
        join_check();
      } else {
        output->exec("PRAGMA cache_spill = OFF");
      }
      SQLite::Transaction transaction(*output);
      try {
        // Messages name the output asked for, not its temporary file.
        add_columns(*output, output_file->target(), tables.front(), result.layout);
        for (std::size_t i = 1; i < tables.size(); ++i) {
          append_rows(*output,
                      output_file->target(),
                      tables.front(),
                      result.layout,
                      inputs[i]->database(),
                      tables[i],
                      result.plan.inputs[i].added,
                      progress);
        }
      } catch (...) {
        join_check();
        throw;
      }
      join_check();
      transaction.commit();
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(*options.output, e, "writing the output");
    }
    progress.phase("flushing to disk", 0);
    output.reset();
    output_file->commit();
  }
  progress.finish();
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

} // namespace

MergeResult merge(const Options& options, Progress& progress) {
  try {
    return merge_inputs(options, progress);
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

} // namespace heatmap_merge
