#pragma once
// A --config file's text into its settings, in the file's order, through toml++: the syntax
// alone. config_file.cpp then finds each key among the options and checks its value.

#include "util/error.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heatmap_merge {

// One `key = value` of a config file.
struct ConfigSetting {
  std::string key;
  // The value's text, or the items' text for a list: a string's contents, a number or a
  // boolean as written ("7", "true"), since the options read text as on the command line.
  std::vector<std::string> items;
  bool list = false;
  // The key's line, for the messages.
  std::size_t line = 0;
};

// A config file's settings up to its first syntax problem, then that problem: Error(usage)
// "FILE:LINE: ...". The caller checks the settings before it throws the error, so that the
// first problem of the file is the one reported, and a `format` key above it applies.
struct ConfigSyntax {
  std::vector<ConfigSetting> settings;
  std::optional<Error> error;
};

// Reads `text`, the contents of `file` (named in the messages): TOML, each `key = value` at the
// top level, the value a string, a boolean, a number or a list of them. Two things of INI files
// too, as the man page has always allowed: a bare value (`window = 2s`: the text up to a `#`
// comment) and `;` comment lines. Refused, as before the tool read TOML with toml++: sections,
// dotted and quoted keys, multi-line strings. toml++'s errors are told in the tool's words.
ConfigSyntax read_config_syntax(std::string_view text, const std::filesystem::path& file);

// At most `limit` bytes of `text`, cut before a UTF-8 continuation byte, with "..." when cut:
// a message quotes the start of a long line, not all of it.
std::string excerpt(std::string_view text, std::size_t limit = 40);

} // namespace heatmap_merge
