// --peers: the merge of every node with the others, one node after the other (peers.hpp).

#include "pipeline/peers.hpp"

#include "pipeline/merge.hpp"
#include "read/input.hpp"
#include "read/schema.hpp"
#include "report/report.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"
#include "write/in_place_checks.hpp"

#include <fmt/format.h>

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <map>
#include <optional>

namespace heatmap_merge {

namespace {

// The nodes' backups go into one --backup-dir, each named after its node's file, and
// --keep-backups prunes by that name: two nodes named alike would prune each other's.
void refuse_backup_names_alike(const Options& options,
                               const std::vector<std::filesystem::path>& nodes) {
  if (!options.in_place || !options.backup_dir) {
    return;
  }
  std::map<std::filesystem::path, std::filesystem::path> by_name;
  for (const std::filesystem::path& node : nodes) {
    const std::filesystem::path name = resolved_file(node).filename();
    const auto [earlier, fresh] = by_name.emplace(name, node);
    if (!fresh) {
      throw Error(ExitCode::usage,
                  fmt::format("--peers --backup-dir: the nodes {} and {} are both named {}, so "
                              "their backups in {} would be taken for one node's; leave out "
                              "--backup-dir (each backup then goes beside its node)",
                              display(earlier->second),
                              display(node),
                              display(name),
                              display(*options.backup_dir)));
    }
  }
}

// The click table's declaration in `node`, or nothing when it cannot be read now (a hot journal,
// a lock held too long, no such table): that node's own merge then says why, as without --peers.
std::optional<TableSchema> node_schema(const std::filesystem::path& node, const Options& options) {
  try {
    SQLite::Database database = open_reader(node, options.lock_timeout);
    return read_table_schema(database, node, options.table);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// --in-place refuses to add a column to a live table without --alter-live-table, each node's
// merge for itself: a node that lacks a column of another node would be refused only once the
// nodes before it were given rows. So every node is checked first, with its merge's message,
// before anything is written or backed up; and a dry run says the same.
void refuse_live_alter_of_any(const Options& options,
                              const std::vector<std::filesystem::path>& nodes) {
  if (!options.in_place || options.alter_live_table) {
    return;
  }
  std::vector<std::optional<TableSchema>> tables;
  for (const std::filesystem::path& node : nodes) {
    tables.push_back(node_schema(node, options));
  }
  for (std::size_t node = 0; node < nodes.size(); ++node) {
    if (!tables[node]) {
      continue;
    }
    std::vector<std::string> seen;
    std::string columns;
    std::optional<std::filesystem::path> first_from;
    for (std::size_t other = 0; other < nodes.size(); ++other) {
      if (other == node || !tables[other]) {
        continue;
      }
      const TableSchema& table = *tables[other];
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const std::string& name = table.columns[i].name;
        const auto named = [&name](const std::string& s) { return same_name(s, name); };
        if (i == table.rowid_alias || tables[node]->find(name) ||
            std::any_of(seen.begin(), seen.end(), named)) {
          continue;
        }
        seen.push_back(name);
        columns += fmt::format("{}{} (only in {})",
                               columns.empty() ? "" : ", ",
                               display_name(name),
                               display(nodes[other]));
        first_from = first_from.value_or(nodes[other]);
      }
    }
    if (!first_from) {
      continue;
    }
    throw Error(ExitCode::data,
                fmt::format("--in-place would add {} {} to the live table {} of {}: a service "
                            "that inserts by position (INSERT INTO {} VALUES (...)) then fails "
                            "on every click; nothing was changed or backed up, on any node",
                            seen.size() == 1 ? "column" : "columns",
                            columns,
                            display_name(tables[node]->table),
                            display(nodes[node]),
                            display_name(tables[node]->table)),
                *first_from)
      .with_hint("Add --alter-live-table once every writer of the table names its columns, or "
                 "merge with --output, which may add them.");
  }
}

// Each node's merge refuses what check_schemas refuses (a NOT NULL column without a default that
// another node lacks, a missing key column): checked for every node first, with its merge's
// message, so that no refusal comes after an earlier node was written. Each node as its merge
// sees the others: a column one node's merge adds to it is left out of it in the later merges.
void refuse_schemas_of_any(const Options& options,
                           const std::vector<std::filesystem::path>& nodes) {
  std::vector<TableSchema> tables;
  for (const std::filesystem::path& node : nodes) {
    std::optional<TableSchema> table = node_schema(node, options);
    if (!table) {
      return; // that node's merge says why
    }
    tables.push_back(std::move(*table));
  }
  for (std::size_t node = 0; node < nodes.size(); ++node) {
    std::vector<TableSchema> order{tables[node]};
    for (std::size_t other = 0; other < nodes.size(); ++other) {
      if (other != node) {
        order.push_back(tables[other]);
      }
    }
    check_schemas(order, options);
  }
}

// Each node is the primary of its own merge, whose read-write open rolls back a hot journal; but
// the merges before it read it as a secondary, read-only, which cannot, and would stop the run
// (75) until the order of the nodes changed. So every node's is rolled back first. A node that
// cannot be opened here is left to its merges, which say why.
void roll_back_hot_journals(const Options& options,
                            const std::vector<std::filesystem::path>& nodes,
                            Progress& progress) {
  if (!options.in_place || options.dry_run) {
    return;
  }
  for (const std::filesystem::path& node : nodes) {
    try {
      if (roll_back_hot_journal(node, options.lock_timeout)) {
        progress.tell(fmt::format("rolled back the hot journal of {} (a writer had stopped in "
                                  "the middle of a transaction)",
                                  display(node)));
      }
    } catch (const Error&) {
      continue;
    }
  }
}

// What the nodes merged before `failed` were given, for the message of its failure.
std::string written_before(const std::vector<MergeResult>& results) {
  std::string text;
  for (const MergeResult& result : results) {
    text += fmt::format("{} {} to {}; ",
                        result.dry_run ? "would add" : "added",
                        counted(rows_added(result), "row"),
                        display(result.inputs.front()));
  }
  return text;
}

} // namespace

std::vector<MergeResult> merge_peers(const Options& options, Progress& progress) {
  std::vector<std::filesystem::path> nodes{options.primary};
  nodes.insert(nodes.end(), options.secondaries.begin(), options.secondaries.end());
  refuse_backup_names_alike(options, nodes);
  refuse_repeated_inputs(nodes);
  if (options.in_place) {
    // Each node's merge checks its own, before it reads anything: a later node's refusal would
    // come after the earlier nodes were written. A missing node is left to its merges (66).
    for (const std::filesystem::path& node : nodes) {
      std::error_code missing;
      if (std::filesystem::exists(node, missing)) {
        check_primary_writable(node);
      }
    }
  }
  roll_back_hot_journals(options, nodes, progress);
  refuse_live_alter_of_any(options, nodes);
  refuse_schemas_of_any(options, nodes);
  std::vector<MergeResult> results;
  // The columns each node's merge added to it (--in-place --alter-live-table): its rows from
  // before have NULL there, where the other nodes' own rows have their values or defaults. The
  // later merges take the node to lack them, as its dry run does and as it did before this run:
  // its rows then get each node's default, and pair with the copies the node already holds.
  std::vector<std::pair<std::filesystem::path, std::vector<std::string>>> added_columns;
  for (std::size_t node = 0; node < nodes.size(); ++node) {
    Options own = options;
    own.peer_added_columns = added_columns;
    own.primary = nodes[node];
    own.secondaries.clear();
    for (std::size_t other = 0; other < nodes.size(); ++other) {
      if (other != node) {
        own.secondaries.push_back(nodes[other]);
      }
    }
    progress.tell(fmt::format("node {} of {}: {}", node + 1, nodes.size(), display(nodes[node])));
    try {
      results.push_back(merge(own, progress));
      std::vector<std::string> names;
      for (const Column& column : results.back().layout.added_columns) {
        names.push_back(column.name);
      }
      added_columns.emplace_back(nodes[node], std::move(names));
    } catch (const Error& error) {
      // A dry run wrote nothing: its error is the whole story.
      if (results.empty() || options.dry_run) {
        throw;
      }
      const std::string message =
        fmt::format("{}then {}: {}", written_before(results), display(nodes[node]), error.what());
      Error told =
        error.file() ? Error(error.code(), message, *error.file()) : Error(error.code(), message);
      throw told.with_hint(error.hint());
    }
  }
  return results;
}

} // namespace heatmap_merge
