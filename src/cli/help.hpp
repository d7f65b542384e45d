#pragma once
// --help as the tool prints it (CLI11's formatter, wrapped to 80 columns), and the usage lines
// that follow a usage error.

#include <CLI/CLI.hpp>

#include <string>

namespace heatmap_merge {

// CLI11's formatter, with the positional shown as "PRIMARY SECONDARY..." (its type name) alone
// and every description wrapped so that no line of --help passes 80 columns.
class HelpFormatter : public CLI::Formatter {
public:
  std::string make_option(const CLI::Option* option, bool is_positional) const override;
  std::string make_option_name(const CLI::Option* option, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* option) const override;
  std::string make_option_usage(const CLI::Option* option) const override;
};

// "Usage: heatmap-merge [OPTIONS] PRIMARY SECONDARY...\nTry 'heatmap-merge --help' for more
// information.": printed after a usage error.
std::string usage_hint(const CLI::App& app);
// The second line of it alone.
std::string help_hint();

} // namespace heatmap_merge
