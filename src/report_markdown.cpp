#include "heatmap_merge/error.hpp"
#include "report_model.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>

namespace heatmap_merge {

namespace {

// Table cells must not break the table: pipes are escaped, newlines flattened.
std::string cell(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '|') {
      escaped += "\\|";
    } else if (c == '\n' || c == '\r') {
      escaped += ' ';
    } else {
      escaped += c;
    }
  }
  return escaped;
}

} // namespace

void write_markdown_report(std::ostream& out, const ReportModel& model) {
  const MergeResult& result = model.result;
  const Insights& insights = result.insights;
  fmt::print(out, "## heatmap-merge {}\n\n", result.dry_run ? "dry run" : "merge");
  out << "| input | rows | first (UTC) | last (UTC) | exact | window | conflicts | added |\n"
         "|---|---:|---|---|---:|---:|---:|---:|\n";
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const InputPlan& input = result.plan.inputs[i];
    const std::string first = input.first ? readable_time(*input.first) : "-";
    const std::string last = input.last ? readable_time(*input.last) : "-";
    if (i == 0) {
      fmt::print(out,
                 "| `{}` (primary) | {} | {} | {} | - | - | - | - |\n",
                 cell(display(result.inputs[i])),
                 input.rows,
                 first,
                 last);
    } else {
      fmt::print(out,
                 "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
                 cell(display(result.inputs[i])),
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
             "| **output** | **{}** | | | | | | **{}** |\n\n",
             result.plan.rows_out,
             model.totals.added);

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
                 readable_span(outage.end - outage.start),
                 outage.rows);
    }
  }
  fmt::print(out, "\n{} isolated failover clicks outside outages.\n\n", insights.isolated_rows);

  if (!model.top_pages.empty()) {
    out << "### Rows added per page\n\n| page | rows added |\n|---|---:|\n";
    for (const PageInsight* page : model.top_pages) {
      fmt::print(out, "| `{}` | {} |\n", cell(page->page), page->rows_added);
    }
    if (model.other_pages > 0) {
      fmt::print(out, "| ({} other pages) | {} |\n", model.other_pages, model.other_pages_rows);
    }
    out << '\n';
  }

  for (const HourTable& table : model.hour_tables) {
    fmt::print(out, "### Clicks per hour around outage {}\n\n| hour (UTC) |", table.outage + 1);
    for (const std::filesystem::path& path : result.inputs) {
      fmt::print(out, " `{}` |", cell(path.filename().string()));
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

  const WindowEvidence& evidence = model.evidence;
  if (evidence.matched.count > 0 || evidence.near_misses.count > 0) {
    out << "### Window\n\n";
    fmt::print(out,
               "- window: {}; {} exact duplicates, {} within the window\n",
               format_duration(result.window),
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
                 "- {} same-key pairs lie beyond the window but within 10 s; `--window {}` would "
                 "match 99% of all pairs\n",
                 evidence.near_misses.count,
                 format_duration(std::chrono::nanoseconds(evidence.all.window_99_ns)));
    }
    out << '\n';
  }
  if (model.totals.conflicts > 0) {
    fmt::print(
      out,
      "**{} conflicts**: duplicates that differ in other columns; the primary's row was kept.\n\n",
      model.totals.conflicts);
  }
  if (result.in_place && !result.in_place->backup.empty()) {
    fmt::print(out,
               "Merged in place into `{}` in {} transactions; backup: `{}`.\n\n",
               cell(display(result.inputs.front())),
               result.in_place->transactions,
               cell(display(result.in_place->backup)));
  }
  fmt::print(out,
             "{} {} rows; the output {} {} rows. Took {:.2f} s.\n",
             result.dry_run ? "Would add" : "Added",
             model.totals.added,
             result.dry_run ? "would hold" : "holds",
             result.plan.rows_out,
             result.elapsed.count());
}

} // namespace heatmap_merge
