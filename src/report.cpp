#include "heatmap_merge/report.hpp"

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/merge.hpp"
#include "heatmap_merge/options.hpp"
#include "heatmap_merge/stats.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <numeric>
#include <ostream>

namespace heatmap_merge {

namespace {

struct Totals {
  std::int64_t duplicates_exact = 0;
  std::int64_t duplicates_window = 0;
  std::int64_t conflicts = 0;
  std::int64_t added = 0;
};

Totals totals(const Plan& plan) {
  Totals sum;
  for (const InputPlan& input : plan.inputs) {
    sum.duplicates_exact += input.duplicates_exact;
    sum.duplicates_window += input.duplicates_window;
    sum.conflicts += input.conflicts;
    sum.added += static_cast<std::int64_t>(input.added.size());
  }
  return sum;
}

// The evidence for choosing a window: the differences of pairs matched within it, and of the
// same-key pairs within 10 s that it left apart.
struct WindowEvidence {
  OffsetSummary matched;
  OffsetSummary near_misses;
  OffsetSummary all;
};

WindowEvidence window_evidence(const Plan& plan) {
  std::vector<std::int64_t> matched;
  std::vector<std::int64_t> near_misses;
  for (const InputPlan& input : plan.inputs) {
    matched.insert(matched.end(), input.match_offsets.begin(), input.match_offsets.end());
    near_misses.insert(near_misses.end(), input.near_miss_offsets.begin(),
                       input.near_miss_offsets.end());
  }
  std::vector<std::int64_t> all = matched;
  all.insert(all.end(), near_misses.begin(), near_misses.end());
  return {summarize_offsets(std::move(matched)), summarize_offsets(std::move(near_misses)),
          summarize_offsets(std::move(all))};
}

double milliseconds(std::int64_t nanoseconds) {
  return static_cast<double>(nanoseconds) / 1e6;
}

nlohmann::json summary_json(const OffsetSummary& summary) {
  if (summary.count == 0) {
    return {{"pairs", 0}};
  }
  nlohmann::json bins = nlohmann::json::array();
  for (const HistogramBin& bin : summary.histogram) {
    bins.push_back({{"from_ms", milliseconds(bin.from_ns)}, {"to_ms", milliseconds(bin.to_ns)},
                    {"pairs", bin.count}});
  }
  return {{"pairs", summary.count},
          {"min_ms", milliseconds(summary.min_ns)},
          {"max_ms", milliseconds(summary.max_ns)},
          {"median_ms", milliseconds(summary.median_ns)},
          {"window_99_ms", milliseconds(summary.window_99_ns)},
          {"histogram", bins}};
}

void write_histogram(std::ostream& out, const OffsetSummary& summary) {
  std::int64_t largest = 1;
  for (const HistogramBin& bin : summary.histogram) {
    largest = std::max(largest, bin.count);
  }
  for (const HistogramBin& bin : summary.histogram) {
    const std::size_t bar = static_cast<std::size_t>((bin.count * 30 + largest - 1) / largest);
    fmt::print(out, "  {:>8} to {:<8} {:<30} {}\n",
               format_duration(std::chrono::nanoseconds(bin.from_ns)),
               format_duration(std::chrono::nanoseconds(bin.to_ns)), std::string(bar, '#'),
               bin.count);
  }
}

void write_window_text(std::ostream& out, const MergeResult& result) {
  const WindowEvidence evidence = window_evidence(result.plan);
  if (evidence.matched.count > 0) {
    fmt::print(out, "\ntime differences of the {} pairs matched within {} (secondary minus kept row):\n",
               evidence.matched.count, format_duration(result.window));
    write_histogram(out, evidence.matched);
    fmt::print(out, "  median {}: the failover delay plus the clock skew between the nodes\n",
               format_duration(std::chrono::nanoseconds(evidence.matched.median_ns)));
    fmt::print(out, "  99% of them are within {}\n",
               format_duration(std::chrono::nanoseconds(evidence.matched.window_99_ns)));
  }
  if (evidence.near_misses.count > 0) {
    fmt::print(out, "\n{} same-key pairs lie further apart than the window{} but within 10s; they "
                    "stay separate clicks:\n",
               evidence.near_misses.count,
               result.window.count() > 0 ? " (" + format_duration(result.window) + ")" : "");
    write_histogram(out, evidence.near_misses);
    fmt::print(out, "  --window {} would match 99% of all pairs within 10s; pairs far from the\n"
                    "  failover delay are more likely distinct clicks than duplicates\n",
               format_duration(std::chrono::nanoseconds(evidence.all.window_99_ns)));
  }
}

nlohmann::json optional_instant(const std::optional<Instant>& instant) {
  return instant ? nlohmann::json(format_instant(*instant)) : nlohmann::json(nullptr);
}

void write_json(std::ostream& out, const MergeResult& result) {
  const Totals sum = totals(result.plan);
  nlohmann::json inputs = nlohmann::json::array();
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const InputPlan& input = result.plan.inputs[i];
    inputs.push_back({
      {"path", display(result.inputs[i])},
      {"role", i == 0 ? "primary" : "secondary"},
      {"rows", input.rows},
      {"first", optional_instant(input.first)},
      {"last", optional_instant(input.last)},
      {"duplicates", input.duplicates_exact + input.duplicates_window},
      {"duplicates_exact", input.duplicates_exact},
      {"duplicates_window", input.duplicates_window},
      {"conflicts", input.conflicts},
      {"null_keys", input.unkeyed},
      {"rows_added", static_cast<std::int64_t>(input.added.size())},
    });
  }
  nlohmann::json columns_added = nlohmann::json::array();
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    columns_added.push_back({{"name", result.layout.added_columns[i].name},
                             {"from", display(result.inputs[result.layout.added_from[i]])}});
  }
  const WindowEvidence evidence = window_evidence(result.plan);
  const nlohmann::json window = {
    {"ms", milliseconds(result.window.count())},
    {"matched", summary_json(evidence.matched)},
    {"near_misses", summary_json(evidence.near_misses)},
    {"suggested_ms", evidence.all.count > 0 ? nlohmann::json(milliseconds(evidence.all.window_99_ns))
                                           : nlohmann::json(nullptr)},
  };
  const nlohmann::json report = {
    {"format_version", 1},
    {"dry_run", result.dry_run},
    {"output", result.output ? nlohmann::json(display(*result.output)) : nlohmann::json(nullptr)},
    {"window_ms", static_cast<double>(result.window.count()) / 1e6},
    {"rows_added", sum.added},
    {"rows_out", result.plan.rows_out},
    {"first_new_id", sum.added > 0 ? nlohmann::json(result.plan.first_new_id) : nlohmann::json(nullptr)},
    {"duplicates", sum.duplicates_exact + sum.duplicates_window},
    {"duplicates_exact", sum.duplicates_exact},
    {"duplicates_window", sum.duplicates_window},
    {"conflicts", sum.conflicts},
    {"window", window},
    {"columns_added", columns_added},
    {"inputs", inputs},
    {"seconds", result.elapsed.count()},
  };
  out << report.dump(2) << '\n';
}

void write_text(std::ostream& out, const MergeResult& result) {
  const Totals sum = totals(result.plan);
  std::size_t width = 16; // "output (dry run)"
  for (const std::filesystem::path& path : result.inputs) {
    width = std::max(width, display(path).size());
  }
  fmt::print(out, "{:<{}}  {:>10}  {:>10}  {:>9}  {:>10}\n", "input", width, "rows", "duplicates",
             "conflicts", "added");
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const InputPlan& input = result.plan.inputs[i];
    if (i == 0) {
      fmt::print(out, "{:<{}}  {:>10}  {:>10}  {:>9}  {:>10}\n", display(result.inputs[i]), width,
                 input.rows, "primary", "-", "-");
      continue;
    }
    fmt::print(out, "{:<{}}  {:>10}  {:>10}  {:>9}  {:>10}\n", display(result.inputs[i]), width,
               input.rows, input.duplicates_exact + input.duplicates_window, input.conflicts,
               input.added.size());
  }
  fmt::print(out, "{:<{}}  {:>10}\n", result.dry_run ? "output (dry run)" : "output", width,
             result.plan.rows_out);
  out << '\n';
  if (result.window.count() > 0) {
    fmt::print(out, "duplicates: {} exact, {} within {}\n", sum.duplicates_exact,
               sum.duplicates_window, format_duration(result.window));
  }
  write_window_text(out, result);
  if (sum.conflicts > 0) {
    fmt::print(out, "conflicts: {} duplicates differ from the row kept in other columns; the "
                    "primary's row was kept\n",
               sum.conflicts);
  }
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    fmt::print(out, "column added: {} (only in {})\n",
               quote_identifier(result.layout.added_columns[i].name),
               display(result.inputs[result.layout.added_from[i]]));
  }
  if (sum.added > 0) {
    fmt::print(out, "{} {} rows with ids {} to {}\n", result.dry_run ? "would add" : "added",
               sum.added, result.plan.first_new_id, result.plan.first_new_id + sum.added - 1);
  } else {
    fmt::print(out, "nothing to add: every secondary row is already in the primary\n");
  }
  if (result.dry_run) {
    out << "dry run: nothing written\n";
  } else {
    fmt::print(out, "wrote {}\n", display(*result.output));
  }
  fmt::print(out, "time: {:.2f} s\n", result.elapsed.count());
}

} // namespace

void write_report(std::ostream& out, const MergeResult& result, const Options& options) {
  switch (options.format) {
  case ReportFormat::json:
    write_json(out, result);
    break;
  case ReportFormat::text:
    write_text(out, result);
    break;
  }
}

} // namespace heatmap_merge
