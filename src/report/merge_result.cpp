// What a run did: the warnings and exit status drawn from it (merge_result.hpp).
#include "report/merge_result.hpp"

#include "util/duration.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

namespace heatmap_merge {

std::string swap_warning(const MergeResult& result, const SwapSuspicion& suspicion, PathText name) {
  const std::string primary = name(result.inputs.front());
  const std::string secondary = name(result.inputs[suspicion.secondary]);
  const std::string retries =
    suspicion.retry_pairs < k_swap_min_pairs
      ? std::string()
      : fmt::format(", and of the {} clicks both hold a few seconds apart it has the later "
                    "copies ({} later in the middle), as a secondary has of failover retries",
                    suspicion.retry_pairs,
                    format_duration(std::chrono::nanoseconds(-suspicion.retry_median_ns)));
  return fmt::format("{} looks like the secondary: it lacks {} of {}'s clicks, more than the {} of "
                     "its own that {} lacks{}; did you swap them? The first input must be the "
                     "primary",
                     primary,
                     suspicion.primary_lacks,
                     secondary,
                     suspicion.secondary_lacks,
                     secondary,
                     retries);
}

std::string trigger_warning(const MergeResult& result, PathText name) {
  std::string names;
  for (const std::string& trigger : result.triggers) {
    names += (names.empty() ? "" : ", ") + display_name(trigger);
  }
  const bool one = result.triggers.size() == 1;
  return fmt::format("the table {} of {} has {} {} ({}), which {} not fire for the rows "
                     "heatmap-merge adds (neither with --output, --in-place nor a SQL patch): "
                     "bring what {} up to date yourself",
                     display_name(result.table),
                     name(result.inputs.front()),
                     result.triggers.size(),
                     one ? "trigger" : "triggers",
                     names,
                     one ? "does" : "do",
                     one ? "it maintains" : "they maintain");
}

std::int64_t rows_added(const MergeResult& result) {
  if (result.in_place_summary && !result.dry_run) {
    return result.in_place_summary->inserted;
  }
  std::int64_t added = 0;
  for (std::size_t i = 1; i < result.plan.shares.size(); ++i) {
    added += static_cast<std::int64_t>(result.plan.shares[i].added.size());
  }
  return added;
}

std::int64_t rows_removed(const MergeResult& result) {
  if (result.in_place_summary && !result.dry_run) {
    return result.in_place_summary->replays_removed;
  }
  return static_cast<std::int64_t>(result.plan.primary_replays.rows.size());
}

int success_status(const MergeResult& result, const Options& options) {
  return options.exit_code && (rows_added(result) > 0 || rows_removed(result) > 0) ? 1 : 0;
}

int success_status(const std::vector<MergeResult>& results, const Options& options) {
  for (const MergeResult& result : results) {
    if (success_status(result, options) != 0) {
      return 1;
    }
  }
  return 0;
}

} // namespace heatmap_merge
