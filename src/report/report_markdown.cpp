// --format markdown: the report as GitHub-flavoured Markdown, for a ticket or a wiki page, every
// text from the data in a code span; what it shows comes from the model (report_model.hpp).

#include "report/report_model.hpp"
#include "util/duration.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>

namespace heatmap_merge {

// Text from the data (a page URL, a path) as a code span, which is all the report shows it in.
// Nothing is parsed inside one: '<' and '&' stay text, never HTML, and '*', '_' or '[' stay as
// they are. The fence is one backtick longer than the longest run of them inside, so that none
// can end the span. terminal_safe first, as everywhere: the report is read in terminals too, and
// a raw line break would end the paragraph or the table row.
std::string code_span(std::string_view text) {
  const std::string content = terminal_safe(text);
  if (content.empty()) {
    return "";
  }
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : content) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  // A backtick at either end would join the fence, and CommonMark strips one space from each end
  // of a span that has both (unless it is all spaces): pad with a space, which it strips again.
  const bool pad = content.front() == '`' || content.back() == '`' ||
                   (content.front() == ' ' && content.back() == ' ' &&
                    content.find_first_not_of(' ') != std::string::npos);
  const std::string space = pad ? " " : "";
  return fence + space + content + space + fence;
}

namespace {

// A code span in a table cell. GFM splits a row at every pipe that is not escaped, code spans
// included, and unescapes "\|" inside them, so that a pipe in the data cannot add a column.
std::string code_cell(std::string_view text) {
  std::string escaped;
  for (const char c : code_span(text)) {
    if (c == '|') {
      escaped += "\\|";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

// The title and the table of inputs: rows, time span and what the matching did with each
// secondary's rows, then the output's totals.
void write_inputs(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  fmt::print(out, "## heatmap-merge {}\n\n", result.dry_run ? "dry run" : "merge");
  out << "| input | role | rows | first (UTC) | last (UTC) | exact | window | conflicts | added |\n"
         "|---|---|---:|---|---|---:|---:|---:|---:|\n";
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const Share& input = result.plan.shares[i];
    const std::string first = input.first ? readable_time(*input.first) : "-";
    const std::string last = input.last ? readable_time(*input.last) : "-";
    if (i == 0) {
      fmt::print(out,
                 "| {} | primary | {} | {} | {} | - | - | - | - |\n",
                 code_cell(result.inputs[i].string()),
                 input.rows,
                 first,
                 last);
    } else {
      fmt::print(out,
                 "| {} | secondary | {} | {} | {} | {} | {} | {} | {} |\n",
                 code_cell(result.inputs[i].string()),
                 input.rows,
                 first,
                 last,
                 input.duplicates_exact,
                 input.duplicates_window,
                 input.conflicts,
                 input.added.size());
    }
  }
  fmt::print(out,
             "| **output** | | **{}** | | | | | | **{}** |\n\n",
             result.plan.rows_out,
             model.totals.added);
}

// "Outages": a table of them (or "None found."), then the count of isolated failover clicks.
void write_outages(std::ostream& out, const Insights& insights) {
  out << "### Outages\n\n";
  if (insights.outages.empty()) {
    out << "None found.";
  } else {
    out << "| start (UTC) | end (UTC) | duration | rows |\n|---|---|---:|---:|\n";
    for (const Outage& outage : insights.outages) {
      fmt::print(out,
                 "| {} | {} | {} | {} |\n",
                 readable_time(outage.start),
                 readable_time(outage.end),
                 readable_span(outage.start, outage.end),
                 outage.rows);
    }
  }
  fmt::print(
    out, "\n{} outside outages.\n\n", counted(insights.isolated_rows, "isolated failover click"));
}

// "Rows added per page": the top pages, the others summed in one row; nothing if no row was added.
void write_pages(std::ostream& out, const ReportModel& model) {
  if (model.top_pages.empty()) {
    return;
  }
  out << "### Rows added per page\n\n| page | rows added |\n|---|---:|\n";
  for (const PageInsight* page : model.top_pages) {
    fmt::print(out, "| {} | {} |\n", code_cell(page->page), page->rows_added);
  }
  if (model.other_pages > 0) {
    fmt::print(
      out, "| ({}) | {} |\n", counted(model.other_pages, "other page"), model.other_pages_rows);
  }
  out << '\n';
}

// "Clicks per hour around outage N": a column per input, by its label and role, and one for the
// added rows.
void write_hour_table(std::ostream& out, const ReportModel& model, const HourTable& table) {
  const MergeResult& result = model.result;
  fmt::print(out, "### Clicks per hour around outage {}\n\n| hour (UTC) |", table.outage + 1);
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    if (model.labels[i] == input_role(i)) {
      fmt::print(out, " {} |", input_role(i));
    } else {
      fmt::print(out, " {} ({}) |", code_cell(model.labels[i]), input_role(i));
    }
  }
  out << " added |\n|---|";
  for (std::size_t i = 0; i <= result.inputs.size(); ++i) {
    out << "---:|";
  }
  out << '\n';
  for (std::size_t h = 0; h < table.hours.size(); ++h) {
    fmt::print(out, "| {} |", readable_time(table.hours[h]).substr(0, 16));
    for (const std::vector<std::int64_t>& counts : table.per_input) {
      fmt::print(out, " {} |", counts[h]);
    }
    fmt::print(out, " {} |\n", table.added[h]);
  }
  out << '\n';
}

// An option or a duration as Markdown code (only durations and option names: no backtick).
std::string markdown_code(const std::string& text) {
  return "`" + text + "`";
}

// "Window": the window and the duplicates it found, the time differences of the matched pairs and
// the near misses; nothing if no same-key pair was seen.
void write_window(std::ostream& out, const ReportModel& model) {
  const WindowEvidence& evidence = model.evidence;
  if (evidence.matched.count == 0 && evidence.near_misses.count == 0) {
    return;
  }
  out << "### Window\n\n";
  fmt::print(out,
             "- window: {}; {} exact duplicates, {} within the window\n",
             readable_duration(model.result.window),
             model.totals.duplicates_exact,
             model.totals.duplicates_window);
  if (evidence.matched.count > 0) {
    fmt::print(out,
               "- median time difference of matched pairs: {} (failover delay plus clock skew); "
               "99% within {}\n",
               format_duration(std::chrono::nanoseconds(evidence.matched.median_ns)),
               format_duration(std::chrono::nanoseconds(evidence.matched.window_99_ns)));
  }
  if (evidence.near_misses.count > 0) {
    fmt::print(out,
               "- {} same-key pairs lie beyond the window but within 10 s\n",
               evidence.near_misses.count);
  }
  for (const std::string& sentence : window_advice(model, markdown_code)) {
    fmt::print(out, "- {}\n", sentence);
  }
  const std::string warning = window_warning(model, markdown_code);
  if (!warning.empty()) {
    fmt::print(out, "\n**Warning**: {}\n", warning);
  }
  out << '\n';
}

// The conflicts, if any: duplicates whose other columns differ; with -v, the sampled ones and the
// columns in which they differ.
void write_conflicts(std::ostream& out, const ReportModel& model) {
  if (model.totals.conflicts == 0) {
    return;
  }
  fmt::print(out,
             "**Conflicts: {}** whose other columns differ from the row kept; {}.\n\n",
             counted(model.totals.conflicts, "duplicate"),
             conflict_winner(model.totals));
  const std::vector<ConflictSample>& samples = model.result.insights.conflict_samples;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    std::string columns;
    for (const std::string& column : model.conflict_columns[i]) {
      columns += (columns.empty() ? "" : ", ") + code_span(column);
    }
    fmt::print(out,
               "- {} row {} (kept) and {} row {} differ {}\n",
               code_span(model.labels[samples[i].kept.input]),
               samples[i].kept.rowid,
               code_span(model.labels[samples[i].dropped.input]),
               samples[i].dropped.rowid,
               columns.empty() ? "only in the type of a value" : "in " + columns);
  }
  if (!samples.empty()) {
    out << '\n';
  }
}

// The in-place summary, if rows were merged into the primary: its transactions and the backup.
void write_in_place(std::ostream& out, const MergeResult& result) {
  if (result.in_place_summary && !result.in_place_summary->backup.empty()) {
    fmt::print(out,
               "Merged in place into {} in {}; backup: {}.\n\n",
               code_span(result.inputs.front().string()),
               counted(result.in_place_summary->transactions, "transaction"),
               code_span(result.in_place_summary->backup.string()));
  }
}

// The last line: rows added, rows in the output and the time taken.
void write_outcome(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  fmt::print(out,
             "{} {}; the output {} {}. Took {:.2f} s.\n",
             result.dry_run ? "Would add" : "Added",
             counted(model.totals.added, "row"),
             result.dry_run ? "would hold" : "holds",
             counted(result.plan.rows_out, "row"),
             result.elapsed.count());
}

} // namespace

// "Replays" (only with --replay-window): what the replay pass paired, its delays, the chance
// estimate and the first pairs.
void write_replays(std::ostream& out, const ReportModel& model) {
  const ReplayEvidence& replay = model.replay;
  out << "### Replays\n\n";
  fmt::print(out,
             "- replay window: {}; {} replay pairs across inputs, {} replayed duplicates within a "
             "secondary; neither added\n",
             readable_duration(model.result.replay_window),
             replay.pairs,
             replay.replayed);
  fmt::print(out,
             "- by chance alone: about {} (identical rows {} to {} apart)\n",
             replay.chance,
             readable_duration(model.result.replay_window),
             readable_duration(2 * model.result.replay_window));
  if (replay.removing) {
    fmt::print(out,
               "- replayed duplicates removed from the primary: {} (by chance alone: about {})\n",
               replay.removed,
               replay.chance_primary);
  }
  for (const auto& [name, summary] :
       {std::pair{"replay pairs", &replay.across},
        std::pair{"replayed duplicates", &replay.within},
        std::pair{"primary's replayed duplicates removed", &replay.removed_delays}}) {
    if (summary->count > 0) {
      fmt::print(out,
                 "- delays of the {}: median {}, from {} to {}\n",
                 name,
                 format_duration(std::chrono::nanoseconds(summary->median_ns)),
                 format_duration(std::chrono::nanoseconds(summary->min_ns)),
                 format_duration(std::chrono::nanoseconds(summary->max_ns)));
    }
  }
  for (const auto& [name, counts] :
       {std::pair{"replay pairs", &model.result.insights.replay_pages},
        std::pair{"replayed duplicates", &model.result.insights.replayed_pages}}) {
    if (counts->top.empty()) {
      continue;
    }
    fmt::print(out, "\n| page | {} |\n|---|---:|\n", name);
    for (const auto& [page, rows] : counts->top) {
      fmt::print(out, "| {} | {} |\n", code_span(page), rows);
    }
    if (counts->other_pages > 0) {
      fmt::print(
        out, "| ({}) | {} |\n", counted(counts->other_pages, "other page"), counts->other_rows);
    }
    out << '\n';
  }
  for (const ReplayEvidence::Sample& sample : replay.samples) {
    fmt::print(out,
               "- {} row {}: {} row {}, {} apart\n",
               code_span(model.labels[sample.input]),
               sample.pair.dropped_rowid,
               sample.input == 0    ? "removed, a copy of its"
               : sample.pair.within ? "a copy of its"
                                    : "a copy of the kept",
               sample.pair.kept_rowid,
               format_duration(std::chrono::nanoseconds(sample.pair.offset_ns)));
  }
  out << '\n';
}

// The report, one section after another (pages, hours and window only when they have rows).
void write_markdown_report(std::ostream& out, const ReportModel& model) {
  write_inputs(out, model);
  write_outages(out, model.result.insights);
  write_pages(out, model);
  for (const HourTable& table : model.hour_tables) {
    write_hour_table(out, model, table);
  }
  write_window(out, model);
  if (model.result.replay_window.count() > 0) {
    write_replays(out, model);
  }
  write_conflicts(out, model);
  for (const SwapSuspicion& suspicion : model.result.swap_suspicions) {
    fmt::print(out,
               "**Warning:** {}.\n\n",
               swap_warning(model.result, suspicion, [](const std::filesystem::path& path) {
                 return code_span(display(path));
               }));
  }
  if (!model.result.triggers.empty()) {
    fmt::print(out,
               "**Warning:** {}.\n\n",
               trigger_warning(model.result, [](const std::filesystem::path& path) {
                 return code_span(display(path));
               }));
  }
  write_in_place(out, model.result);
  write_outcome(out, model);
}

} // namespace heatmap_merge
