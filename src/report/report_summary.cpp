// --format summary: one line for logs and cron mail. Only counts and file names, the names
// through display(): a file name can hold any byte but a slash and a NUL, and this line goes to
// terminals and mail as it is.

#include "report/report.hpp"
#include "report/report_model.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <string>

namespace heatmap_merge {

namespace {

// Where the rows go: the output, the primary in place, or (a plain dry run) the primary whose
// copy the output would be.
std::string destination(const MergeResult& result) {
  if (result.output) {
    return display(*result.output);
  }
  return display(result.inputs.front()) + (result.in_place ? " in place" : "");
}

std::string sources(const MergeResult& result) {
  std::string names;
  for (std::size_t i = 1; i < result.inputs.size(); ++i) {
    names += (i > 1 ? ", " : "") + display(result.inputs[i]);
  }
  return names;
}

} // namespace

// E.g.
//   heatmap-merge: 3006 rows added to /srv/merged/heatmap.db from aws/heatmap.db (12 duplicates,
//   0 conflicts) in 1.2s
void write_summary_report(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  const Totals& totals = model.totals;
  std::string details =
    fmt::format("{}, {}",
                counted(totals.duplicates_exact + totals.duplicates_window, "duplicate"),
                counted(totals.conflicts, "conflict"));
  if (result.replay_window.count() > 0) {
    details += fmt::format(", {}, {}",
                           counted(model.replay.pairs, "replay pair"),
                           counted(model.replay.replayed, "replayed duplicate"));
    if (model.replay.removing) {
      details += fmt::format(", {} removed from the primary",
                             counted(model.replay.removed, "replayed duplicate"));
    }
  }
  if (result.in_place_summary && !result.dry_run) {
    const InPlaceSummary& in_place = *result.in_place_summary;
    if (in_place.already_there > 0) {
      details += fmt::format(", {} meanwhile already there", in_place.already_there);
    }
    if (!in_place.backup.empty()) {
      details += fmt::format("; backup {}", display(in_place.backup));
    }
    if (!in_place.removed_backups.empty()) {
      details += fmt::format(
        "; {} removed",
        counted(static_cast<std::int64_t>(in_place.removed_backups.size()), "old backup"));
    }
  }
  const std::int64_t added = rows_added(result);
  const std::string what = result.dry_run ? fmt::format("would add {} to", counted(added, "row"))
                                          : fmt::format("{} added to", counted(added, "row"));
  // The one-line form of the suspected swap; the full sentence is on stderr.
  std::string swapped;
  for (const SwapSuspicion& suspicion : result.swap_suspicions) {
    swapped += fmt::format("; warning: {} and {} look swapped (the first must be the primary)",
                           display(result.inputs.front()),
                           display(result.inputs[suspicion.secondary]));
  }
  if (!result.triggers.empty()) {
    swapped += fmt::format("; warning: {} has {} that this run did not fire",
                           display(result.inputs.front()),
                           counted(static_cast<std::int64_t>(result.triggers.size()), "trigger"));
  }
  fmt::print(out,
             "heatmap-merge: {} {} from {} ({}) in {:.1f}s{}{}\n",
             what,
             destination(result),
             sources(result),
             details,
             result.elapsed.count(),
             result.dry_run ? " (dry run)" : "",
             swapped);
}

} // namespace heatmap_merge
