#pragma once
// "Did you mean": the known long option nearest to a misspelled one, for an unknown option on the
// command line and an unknown key in a --config file.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace heatmap_merge {

// The known long name ("dry-run", without dashes) nearest to `name` by edit distance, if one is
// close enough to be what was meant.
std::optional<std::string> nearest_long_name(const CLI::App& app, const std::string& name);

} // namespace heatmap_merge
