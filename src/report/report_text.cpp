// The text report, for a terminal: its sections in order (text_sections.hpp), the warnings and
// the outcome. Every string from the data goes through terminal_safe (display() for paths): raw,
// a page URL or user agent, which any visitor chooses, could retitle or clear the terminal.

#include "report/text_sections.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace heatmap_merge {

namespace {

// "id 401" or "ids 401 to 465": the ids the added rows get.
std::string new_ids(const ReportModel& model) {
  const std::int64_t first = model.result.plan.first_new_id;
  return model.totals.added == 1
           ? fmt::format("id {}", first)
           : fmt::format("ids {} to {}", first, first + model.totals.added - 1);
}

// The warnings after the sections: conflicts, inputs that look swapped, columns added.
void write_warnings(TextWriter& writer, const ReportModel& model) {
  const MergeResult& result = model.result;
  if (model.totals.conflicts > 0) {
    writer.warning(fmt::format("conflicts: {} whose other columns differ from the row kept; {}",
                               counted(model.totals.conflicts, "duplicate"),
                               conflict_winner(model.totals)));
  }
  for (const SwapSuspicion& suspicion : result.swap_suspicions) {
    writer.warning("warning: " + swap_warning(result, suspicion, display));
  }
  if (!result.triggers.empty()) {
    writer.warning("warning: " + trigger_warning(result, display));
  }
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    fmt::print(writer.out(),
               "column added: {} (only in {})\n",
               display_name(result.layout.added_columns[i].name),
               display(result.inputs[result.layout.added_from[i]]));
  }
}

// What --in-place did: the backup, the rows added in how many transactions, and the planned rows
// that had reached the primary on their own.
void write_in_place(std::ostream& out, const MergeResult& result) {
  const InPlaceSummary& in_place = *result.in_place_summary;
  fmt::print(out, "backup: {}\n", display(in_place.backup));
  fmt::print(out,
             "added {} to {} in place, in {} (the longest {:.0f} ms)\n",
             counted(in_place.inserted, "row"),
             display(result.inputs.front()),
             counted(in_place.transactions, "transaction"),
             in_place.longest_transaction_seconds * 1000);
  if (in_place.already_there > 0) {
    fmt::print(out,
               "{} had meanwhile reached the primary and {} not added again\n",
               counted(in_place.already_there, "planned row"),
               in_place.already_there == 1 ? "was" : "were");
  }
  if (result.remove_replays) {
    fmt::print(out,
               "removed {} from {} in place\n",
               counted(in_place.replays_removed, "replayed duplicate"),
               display(result.inputs.front()));
  }
  if (in_place.replays_left > 0) {
    fmt::print(out,
               "{} had meanwhile changed or gone and {} left alone\n",
               counted(in_place.replays_left, "replayed duplicate"),
               in_place.replays_left == 1 ? "was" : "were");
  }
}

// The last lines: what was added (or would be), the backups removed, and what was written.
void write_outcome(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  if (model.totals.added == 0 && rows_removed(result) == 0) {
    fmt::print(out, "nothing to add: every secondary row is already in the primary\n");
  } else if (result.in_place_summary) {
    write_in_place(out, result);
  } else if (model.totals.added == 0) {
    fmt::print(out, "nothing to add: every secondary row is already in the primary\n");
  } else {
    fmt::print(out,
               "{} {} with {}\n",
               result.dry_run ? "would add" : "added",
               counted(model.totals.added, "row"),
               new_ids(model));
  }
  if (!result.in_place_summary && rows_removed(result) > 0) {
    fmt::print(out,
               "{} {} of the primary\n",
               !result.dry_run   ? "left out"
               : result.in_place ? "would remove"
                                 : "would leave out",
               counted(rows_removed(result), "replayed duplicate"));
  }
  if (result.in_place_summary && !result.in_place_summary->removed_backups.empty()) {
    std::string names;
    for (const std::filesystem::path& path : result.in_place_summary->removed_backups) {
      names += (names.empty() ? "" : ", ") + display(path.filename());
    }
    fmt::print(out, "removed old backups (--keep-backups): {}\n", names);
  }
  if (result.dry_run) {
    out << "dry run: nothing written\n";
  } else if (result.output) {
    fmt::print(out, "wrote {}\n", display(*result.output));
  }
}

} // namespace

void write_text_report(std::ostream& report, const ReportModel& model, bool colour) {
  std::ostringstream out;
  TextWriter writer(out, colour);
  write_inputs(writer, model);
  write_outages(writer, model);
  write_pages(writer, model);
  write_hours(writer, model);
  write_window(writer, model);
  out << '\n';
  write_warnings(writer, model);
  write_samples(writer, model);
  if (!model.result.insights.added_samples.empty() ||
      !model.result.insights.conflict_samples.empty()) {
    out << '\n';
  }
  write_outcome(out, model);
  fmt::print(out, "time: {:.2f} s\n", model.result.elapsed.count());
  report << fit_width(out.str());
}

} // namespace heatmap_merge
