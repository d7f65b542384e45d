#include "heatmap_merge/report.hpp"

#include "heatmap_merge/error.hpp"
#include "heatmap_merge/merge.hpp"
#include "heatmap_merge/options.hpp"

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
    {"columns_added", columns_added},
    {"inputs", inputs},
    {"seconds", result.elapsed.count()},
  };
  out << report.dump(2) << '\n';
}

void write_text(std::ostream& out, const MergeResult& result) {
  const Totals sum = totals(result.plan);
  std::size_t width = 6;
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
