// "Did you mean" (suggest.hpp): the long option nearest to a misspelled option or config key,
// by edit distance.
#include "cli/suggest.hpp"

#include "cli/options.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace heatmap_merge {

namespace {

// Levenshtein distance: "dryrun" is 1 from "dry-run", "windw" 1 from "window".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

std::optional<std::string> nearest_long_name(const CLI::App& app, const std::string& name) {
  std::optional<std::string> nearest;
  std::size_t best = 0;
  for (const CLI::Option* option : all_options(app)) {
    for (const std::string& candidate : option->get_lnames()) {
      std::size_t distance = edit_distance(name, candidate);
      // "--dry" for "--dry-run": a prefix of three letters or more is as good as one typo.
      if (name.size() >= 3 && candidate.compare(0, name.size(), name) == 0) {
        distance = std::min<std::size_t>(distance, 1);
      }
      if (!nearest || distance < best) {
        nearest = candidate;
        best = distance;
      }
    }
  }
  // Two typos at most, and fewer than a third of the name: "--foo" suggests nothing.
  if (!nearest || best > 2 || best * 3 > std::max<std::size_t>(name.size(), 3)) {
    return std::nullopt;
  }
  return nearest;
}

} // namespace heatmap_merge
