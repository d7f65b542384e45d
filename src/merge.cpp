#include "heatmap_merge/merge.hpp"

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/input.hpp"
#include "heatmap_merge/options.hpp"
#include "heatmap_merge/output.hpp"
#include "heatmap_merge/scan.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <future>
#include <memory>

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

} // namespace

MergeResult merge(const Options& options) {
  const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  MergeResult result;
  result.inputs.push_back(options.primary);
  result.inputs.insert(result.inputs.end(), options.secondaries.begin(), options.secondaries.end());
  result.dry_run = options.dry_run;
  result.output = options.output;
  result.window = options.window;

  // Refuse a bad output before reading anything, and lock it against a concurrent run.
  std::unique_ptr<OutputFile> output_file;
  if (!options.dry_run) {
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

  // Copy the primary's snapshot into the temporary output; from then on the copy stands for the
  // primary, and the live primary is released.
  std::optional<SQLite::Database> output;
  SQLite::Database* primary = &inputs.front()->database();
  std::filesystem::path primary_path = options.primary;
  if (output_file) {
    output.emplace(open_output(output_file->temp_path()));
    copy_database(*primary, options.primary, *output, output_file->temp_path(), options.lock_timeout);
    inputs.front().reset();
    primary = &*output;
  }

  // Read the keys of every input, each input in its own thread.
  std::vector<std::future<InputKeys>> scans;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    SQLite::Database& database = i == 0 ? *primary : inputs[i]->database();
    scans.push_back(std::async(std::launch::async, [&, i]() {
      return scan_keys(database, tables[i].path, tables[i], result.layout, options);
    }));
  }
  std::vector<InputKeys> keys;
  for (std::future<InputKeys>& scan : scans) {
    keys.push_back(scan.get());
  }
  std::int64_t sequence = 0;
  try {
    sequence = autoincrement_sequence(*primary, tables.front());
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(primary_path, e, "reading sqlite_sequence");
  }
  const std::int64_t next_id = std::max(keys.front().max_rowid, sequence) + 1;

  // Plan: which rows are duplicates, which are added, with what id.
  result.plan = make_plan(std::move(keys), options.window, next_id);

  // Write the added rows in one transaction and move the output into place.
  if (output_file) {
    try {
      SQLite::Transaction transaction(*output);
      add_columns(*output, output_file->temp_path(), tables.front(), result.layout);
      for (std::size_t i = 1; i < tables.size(); ++i) {
        append_rows(*output, output_file->temp_path(), tables.front(), result.layout,
                    inputs[i]->database(), tables[i], result.plan.inputs[i].added);
      }
      transaction.commit();
    } catch (const SQLite::Exception& e) {
      throw sqlite_error(*options.output, e, "writing the output");
    }
    output.reset();
    output_file->commit();
  }
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

} // namespace heatmap_merge
