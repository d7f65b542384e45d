// --format json: the report as one object, a key per section, for scripts; what it shows comes
// from the model (report_model.hpp).

#include "report/report_model.hpp"
#include "util/duration.hpp"
#include "util/terminal_text.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace heatmap_merge {

namespace {

nlohmann::json optional_instant(const std::optional<Instant>& instant) {
  return instant ? nlohmann::json(format_instant(*instant)) : nlohmann::json(nullptr);
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
    bins.push_back({{"from_ms", milliseconds(bin.from_ns)},
                    {"to_ms", milliseconds(bin.to_ns)},
                    {"pairs", bin.count}});
  }
  return {{"pairs", summary.count},
          {"min_ms", milliseconds(summary.min_ns)},
          {"max_ms", milliseconds(summary.max_ns)},
          {"median_ms", milliseconds(summary.median_ns)},
          {"window_99_ms", milliseconds(summary.window_99_ns)},
          {"resolution_ms", milliseconds(summary.resolution_ns)},
          {"histogram", bins}};
}

nlohmann::json sample_json(const ReportModel& model, const SampleRow& sample) {
  const MergeResult& result = model.result;
  nlohmann::json values = nlohmann::json::object();
  for (const std::pair<std::string, std::string>& value : sample.values) {
    values[value.first] = value.second;
  }
  return {{"input", result.inputs[sample.input].string()},
          {"label", model.labels[sample.input]},
          {"rowid", sample.rowid},
          {"new_id", sample.new_id != 0 ? nlohmann::json(sample.new_id) : nlohmann::json(nullptr)},
          {"values", values}};
}

// "inputs": per input, its label, rows, their time span and what the matching did with them.
nlohmann::json inputs_json(const ReportModel& model) {
  const MergeResult& result = model.result;
  nlohmann::json inputs = nlohmann::json::array();
  for (std::size_t i = 0; i < result.inputs.size(); ++i) {
    const Share& input = result.plan.shares[i];
    inputs.push_back({
      {"path", result.inputs[i].string()},
      {"label", model.labels[i]},
      {"role", i == 0 ? "primary" : "secondary"},
      {"rows", input.rows},
      {"first", optional_instant(input.first)},
      {"last", optional_instant(input.last)},
      {"duplicates", input.duplicates_exact + input.duplicates_window},
      {"duplicates_exact", input.duplicates_exact},
      {"duplicates_window", input.duplicates_window},
      {"conflicts", input.conflicts},
      {"conflicts_with_added", input.conflicts_with_added},
      {"null_keys", input.unkeyed},
      {"rows_added", static_cast<std::int64_t>(input.added.size())},
    });
    // Only with --replay-window: without it the report stays as it always was.
    if (result.replay_window.count() > 0 && i > 0) {
      inputs.back()["duplicates_replay"] = input.duplicates_replay;
      inputs.back()["replayed_duplicates"] = input.replayed_duplicates;
    }
  }
  return inputs;
}

// "replay" (only with --replay-window): the window, the replay pairs across inputs and the
// replayed duplicates within a secondary, the delays of each, and the first pairs.
// Rows of one kind per page, busiest first, and the rest.
nlohmann::json page_counts_json(const PageCounts& counts) {
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& [page, rows] : counts.top) {
    pages.push_back({{"page", page}, {"rows", rows}});
  }
  return {{"top", pages}, {"other_pages", counts.other_pages}, {"other_rows", counts.other_rows}};
}

nlohmann::json replay_json(const ReportModel& model) {
  const ReplayEvidence& replay = model.replay;
  nlohmann::json samples = nlohmann::json::array();
  for (const ReplayEvidence::Sample& sample : replay.samples) {
    samples.push_back({{"input", model.labels[sample.input]},
                       {"kind", sample.pair.within ? "within" : "across"},
                       {"kept_rowid", sample.pair.kept_rowid},
                       {"dropped_rowid", sample.pair.dropped_rowid},
                       {"delay_ms", milliseconds(sample.pair.offset_ns)}});
  }
  nlohmann::json replay_report = {
    {"ms", milliseconds(model.result.replay_window.count())},
    {"pairs_across", replay.pairs},
    {"replayed_duplicates", replay.replayed},
    {"chance_pairs", replay.chance},
    {"across", summary_json(replay.across)},
    {"within", summary_json(replay.within)},
    {"samples", samples},
    {"pages_across", page_counts_json(model.result.insights.replay_pages)},
    {"pages_within", page_counts_json(model.result.insights.replayed_pages)},
  };
  // Only with --remove-replays: without it the report stays as it was.
  if (replay.removing) {
    replay_report["primary_replayed_removed"] = replay.removed;
    replay_report["primary_removed_delays"] = summary_json(replay.removed_delays);
    replay_report["chance_pairs_primary"] = replay.chance_primary;
  }
  return replay_report;
}

// "columns_added": the columns only some secondaries have, each with the input that brought it.
nlohmann::json columns_added_json(const MergeResult& result) {
  nlohmann::json columns_added = nlohmann::json::array();
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    columns_added.push_back({{"name", result.layout.added_columns[i].name},
                             {"from", result.inputs[result.layout.added_from[i]].string()}});
  }
  return columns_added;
}

// "in_place": what --in-place did, or null; "backup" is null when there was nothing to add.
nlohmann::json in_place_json(const MergeResult& result) {
  if (!result.in_place_summary) {
    return nullptr;
  }
  const InPlaceSummary& in_place = *result.in_place_summary;
  nlohmann::json removed_backups = nlohmann::json::array();
  for (const std::filesystem::path& path : in_place.removed_backups) {
    removed_backups.push_back(path.string());
  }
  return {
    {"backup",
     in_place.backup.empty() ? nlohmann::json(nullptr) : nlohmann::json(in_place.backup.string())},
    {"inserted", in_place.inserted},
    {"already_there", in_place.already_there},
    {"replays_removed", in_place.replays_removed},
    {"replays_left", in_place.replays_left},
    {"transactions", in_place.transactions},
    {"longest_transaction_ms", in_place.longest_transaction_seconds * 1000},
    {"longest_commit_ms", in_place.longest_commit_seconds * 1000},
    {"waited_ms", in_place.waited_seconds * 1000},
    {"removed_backups", removed_backups},
  };
}

// "window": the window used, the time differences of the pairs it matched and of the near misses
// it left apart, the window that matches every pair within 10 s (WindowAdvice), what one step
// tighter would leave apart, and whether the window used is probably too wide.
nlohmann::json window_json(const ReportModel& model) {
  const WindowEvidence& evidence = model.evidence;
  const WindowAdvice& advice = evidence.advice;
  // The suggestion's fields are null when no pair lies within the horizon.
  const auto suggested = [&advice](const nlohmann::json& value) {
    return advice.pairs > 0 ? value : nlohmann::json(nullptr);
  };
  return {
    {"ms", milliseconds(model.result.window.count())},
    {"matched", summary_json(evidence.matched)},
    {"near_misses", summary_json(evidence.near_misses)},
    {"horizon_ms", milliseconds(k_pair_horizon_ns)},
    {"pairs_within_horizon", advice.pairs},
    {"widest_pair_ms", suggested(milliseconds(advice.widest_ns))},
    {"suggested_ms", suggested(milliseconds(advice.window_ns))},
    {"suggested", suggested(readable_duration(std::chrono::nanoseconds(advice.window_ns)))},
    {"suggested_step_ms", suggested(milliseconds(advice.step_ns))},
    {"tighter_ms", suggested(milliseconds(advice.tighter_ns))},
    {"tighter_left_apart", suggested(advice.tighter_apart)},
    {"matched_beyond_suggested", advice.beyond},
    {"too_wide", advice.too_wide},
  };
}

// "outages": the runs of secondary-only clicks with no primary click between them, and their rows.
nlohmann::json outages_json(const Insights& insights) {
  nlohmann::json outages = nlohmann::json::array();
  for (const Outage& outage : insights.outages) {
    outages.push_back({{"start", format_instant(outage.start)},
                       {"end", format_instant(outage.end)},
                       {"rows", outage.rows}});
  }
  return outages;
}

// "pages": the pages with the most rows added (the rest are summed in "other_pages").
nlohmann::json pages_json(const ReportModel& model) {
  nlohmann::json pages = nlohmann::json::array();
  for (const PageInsight* page : model.top_pages) {
    pages.push_back({{"page", page->page}, {"rows_added", page->rows_added}});
  }
  return pages;
}

// "heat": the grid of added clicks of each page that has any, row by row.
nlohmann::json heat_json(const Insights& insights) {
  nlohmann::json heat = nlohmann::json::array();
  for (const PageInsight& page : insights.pages) {
    std::int64_t cells = 0;
    nlohmann::json grid = nlohmann::json::array();
    for (std::size_t row = 0; row < k_heat_cells; ++row) {
      nlohmann::json line = nlohmann::json::array();
      for (std::size_t column = 0; column < k_heat_cells; ++column) {
        line.push_back(page.heat[row * k_heat_cells + column]);
        cells += page.heat[row * k_heat_cells + column];
      }
      grid.push_back(line);
    }
    if (cells > 0) {
      heat.push_back({{"page", page.page}, {"rows_added", page.rows_added}, {"grid", grid}});
    }
  }
  return heat;
}

// "hourly": per outage, the clicks per hour of each input and the rows added, around it.
nlohmann::json hourly_json(const ReportModel& model) {
  nlohmann::json hourly = nlohmann::json::array();
  for (const HourTable& table : model.hour_tables) {
    nlohmann::json hours = nlohmann::json::array();
    for (std::size_t h = 0; h < table.hours.size(); ++h) {
      nlohmann::json counts = nlohmann::json::array();
      for (const std::vector<std::int64_t>& per_input : table.per_input) {
        counts.push_back(per_input[h]);
      }
      hours.push_back(
        {{"hour", format_instant(table.hours[h])}, {"inputs", counts}, {"added", table.added[h]}});
    }
    hourly.push_back({{"outage", table.outage}, {"hours", hours}});
  }
  return hourly;
}

// "samples": sample added rows, and sample conflicts as the kept and the dropped row and the
// compared columns in which they differ.
nlohmann::json samples_json(const ReportModel& model) {
  const Insights& insights = model.result.insights;
  nlohmann::json added_samples = nlohmann::json::array();
  for (const SampleRow& sample : insights.added_samples) {
    added_samples.push_back(sample_json(model, sample));
  }
  nlohmann::json conflict_samples = nlohmann::json::array();
  for (std::size_t i = 0; i < insights.conflict_samples.size(); ++i) {
    const ConflictSample& conflict = insights.conflict_samples[i];
    conflict_samples.push_back({{"kept", sample_json(model, conflict.kept)},
                                {"dropped", sample_json(model, conflict.dropped)},
                                {"differing_columns", model.conflict_columns[i]}});
  }
  return {{"added", added_samples}, {"conflicts", conflict_samples}};
}

// "swap_warnings": the secondaries that make the primary look like the secondary (inputs given
// the wrong way round?), each with the counts the suspicion rests on; empty when none.
nlohmann::json swap_warnings_json(const MergeResult& result) {
  nlohmann::json warnings = nlohmann::json::array();
  for (const SwapSuspicion& suspicion : result.swap_suspicions) {
    warnings.push_back(
      {{"secondary", result.inputs[suspicion.secondary].string()},
       {"primary_lacks", suspicion.primary_lacks},
       {"secondary_lacks", suspicion.secondary_lacks},
       {"retry_pairs", suspicion.retry_pairs},
       {"retry_median_ms",
        suspicion.retry_pairs > 0 ? nlohmann::json(milliseconds(suspicion.retry_median_ns))
                                  : nlohmann::json(nullptr)},
       {"message", swap_warning(result, suspicion, [](const std::filesystem::path& path) {
          return path.string();
        })}});
  }
  return warnings;
}

} // namespace

// The whole report as one object, a key per section (nlohmann::json sorts them by name).
// Paths are as given, not display()'s terminal-safe form: JSON escapes control characters itself,
// and a script should get the file name, not a rendering of it.
nlohmann::json json_report(const ReportModel& model) {
  const MergeResult& result = model.result;
  const Totals& totals = model.totals;
  nlohmann::json report = {
    {"format_version", 1},
    {"dry_run", result.dry_run},
    {"output", result.output ? nlohmann::json(result.output->string()) : nlohmann::json(nullptr)},
    {"in_place", in_place_json(result)},
    {"rows_added", totals.added},
    {"rows_out", result.plan.rows_out},
    {"first_new_id",
     totals.added > 0 && !result.in_place_summary ? nlohmann::json(result.plan.first_new_id)
                                                  : nlohmann::json(nullptr)},
    {"duplicates", totals.duplicates_exact + totals.duplicates_window},
    {"duplicates_exact", totals.duplicates_exact},
    {"duplicates_window", totals.duplicates_window},
    {"conflicts", totals.conflicts},
    {"swap_warnings", swap_warnings_json(result)},
    {"triggers", result.triggers},
    {"trigger_warning",
     result.triggers.empty()
       ? nlohmann::json(nullptr)
       : nlohmann::json(trigger_warning(
           result, [](const std::filesystem::path& path) { return path.string(); }))},
    {"window", window_json(model)},
    {"columns_added", columns_added_json(result)},
    {"inputs", inputs_json(model)},
    {"outages", outages_json(result.insights)},
    {"isolated_rows", result.insights.isolated_rows},
    {"pages", pages_json(model)},
    {"other_pages", {{"pages", model.other_pages}, {"rows_added", model.other_pages_rows}}},
    {"heat", heat_json(result.insights)},
    {"hourly", hourly_json(model)},
    {"samples", samples_json(model)},
    {"seconds", result.elapsed.count()},
  };
  if (result.replay_window.count() > 0) {
    report["replay"] = replay_json(model);
  }
  return report;
}

void write_json(std::ostream& out, const nlohmann::json& report) {
  // Strings come from untrusted databases: invalid UTF-8 becomes U+FFFD instead of an exception.
  out << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_json_report(std::ostream& out, const ReportModel& model) {
  write_json(out, json_report(model));
}

} // namespace heatmap_merge
