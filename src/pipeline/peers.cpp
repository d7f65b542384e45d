// --peers: the merge of every node with the others, one node after the other (peers.hpp).

#include "pipeline/peers.hpp"

#include "pipeline/merge.hpp"
#include "read/input.hpp"
#include "report/report.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/progress.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <map>

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
  std::vector<MergeResult> results;
  for (std::size_t node = 0; node < nodes.size(); ++node) {
    Options own = options;
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
