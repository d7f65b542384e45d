// Unit tests of the --config file: its syntax (cli/config_syntax.hpp: TOML through toml++, INI's
// bare values and ';' comments, the tool's own messages) and its settings on a command line
// (parse_command_line(): the command line wins, the file and line of every problem).
#include "cli/config_syntax.hpp"
#include "temp_database.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using heatmap_merge::ConfigSetting;
using heatmap_merge::ConfigSyntax;
using heatmap_merge::Error;
using heatmap_merge::ExitCode;
using heatmap_merge::Options;
using heatmap_merge::read_config_syntax;
using heatmap_merge::ReportFormat;

using namespace std::string_literals;

namespace {

// The settings of `text` as "key=item|item@line", in the file's order.
std::vector<std::string> settings(const std::string& text) {
  const ConfigSyntax syntax = read_config_syntax(text, "c.toml");
  std::vector<std::string> out;
  for (const ConfigSetting& setting : syntax.settings) {
    std::string line = setting.key + (setting.list ? "=[" : "=");
    for (std::size_t i = 0; i < setting.items.size(); ++i) {
      line += (i > 0 ? "|" : "") + setting.items[i];
    }
    out.push_back(line + (setting.list ? "]@" : "@") + std::to_string(setting.line));
  }
  return out;
}

// The syntax error of `text`, or "" when it has none.
std::string problem(const std::string& text) {
  const ConfigSyntax syntax = read_config_syntax(text, "c.toml");
  if (!syntax.error) {
    return "";
  }
  CHECK(syntax.error->code() == ExitCode::usage);
  return syntax.error->what();
}

// parse_command_line() of `arguments` after "heatmap-merge --config FILE", FILE holding `text`:
// the options, or the usage error's message.
struct Parsed {
  std::optional<Options> options;
  std::string error;
  ReportFormat error_format = ReportFormat::text;
};
Parsed parse_with(const std::string& text, std::vector<std::string> arguments) {
  const TempDatabase file("config.toml");
  std::ofstream(file.path()) << text;
  arguments.insert(arguments.begin(), {"heatmap-merge", "--config", file.path()});
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) {
    argv.push_back(argument.c_str());
  }
  Parsed parsed;
  std::ostringstream out;
  try {
    parsed.options = heatmap_merge::parse_command_line(
      static_cast<int>(argv.size()), argv.data(), out, parsed.error_format);
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::usage);
    // Without the temporary path before the line number.
    const std::string what = error.what();
    parsed.error = what.substr(what.find(".toml:") + 5);
  }
  return parsed;
}

} // namespace

TEST_CASE("config: TOML and INI's bare values") {
  CHECK(settings("") == std::vector<std::string>{});
  CHECK(settings("window = \"2s\"\nforce = true\n") ==
        std::vector<std::string>{"window=2s@1", "force=true@2"});
  // Bare values are their text up to a comment, numbers and booleans as written.
  CHECK(settings("window = 2s   # the retries\nkeep-backups = 7\nverbose = 2\n") ==
        std::vector<std::string>{"window=2s@1", "keep-backups=7@2", "verbose=2@3"});
  CHECK(settings("memory-limit = 128 MiB\ntable = 'a\\b'\nkey = \"x,\\u00e9\"\n") ==
        std::vector<std::string>{"memory-limit=128 MiB@1", "table=a\\b@2", "key=x,\xc3\xa9@3"});
  // The file's order, not toml++'s (by name); comments of both kinds; CRLF; a byte order mark.
  CHECK(settings("\xef\xbb\xbf; INI\r\nz = 1\r\n# TOML\r\na = 2\r\n") ==
        std::vector<std::string>{"z=1@2", "a=2@4"});
  // A list over lines, with comments and a trailing comma; its numbers as written.
  CHECK(settings("inputs = [\n  \"p.db\", # GCP\n  's.db',\n]\nx = [1, 0x10]\n") ==
        std::vector<std::string>{"inputs=[p.db|s.db]@1", "x=[1|0x10]@5"});
}

TEST_CASE("config: syntax errors name the file and the line, in the tool's words") {
  CHECK(problem("window = \"2s\n") == "c.toml:1: the value of \"window\" lacks its closing \"");
  CHECK(problem("table = 'abc\n") == "c.toml:1: the value of \"table\" lacks its closing '");
  CHECK(problem("window = \"1s\"\n\nwindow = \"2s\"\n") ==
        "c.toml:3: \"window\" is set twice, on lines 1 and 3");
  CHECK(problem("inputs = [\"p.db\",\n  \"s.db\"\n") ==
        "c.toml:1: the list of \"inputs\" is not closed with ]");
  CHECK(problem("window\n") == "c.toml:1: expected key = value after \"window\"");
  CHECK(problem("table =\n") == "c.toml:1: no value for \"table\"");
  CHECK(problem("table = # none\n") == "c.toml:1: no value for \"table\"");
  CHECK(problem("table = \"a\\qb\"\n") ==
        "c.toml:1: the value of \"table\" has an unknown escape \\q (write \\\\ for a backslash, "
        "or use '...' quotes)");
  CHECK(problem("table = \"\\uD800\"\n") ==
        "c.toml:1: the value of \"table\" has a bad \\u escape");
  CHECK(problem("output = \"m.db\"  force = true\n") ==
        "c.toml:1: more after the value of \"output\": 'force = true'; put each key = value on a "
        "line of its own");
  CHECK(problem("# nightly\noutput = m.db  force = true\n") ==
        "c.toml:2: \"output\" = m.db  force = true: several settings on one line? Put each key = "
        "value on a line of its own (and quote a value that holds '=')");
  CHECK(problem("inputs = [\"a\" \"b\"]\n") ==
        "c.toml:1: the list of \"inputs\" needs a comma before '\"b\"]'");
  CHECK(problem("inputs = [\"a\",,\"b\"]\n") ==
        "c.toml:1: the list of \"inputs\" has an empty item");
  CHECK(problem("inputs = [a.db]\n") ==
        "c.toml:1: the list of \"inputs\" has an item not in quotes: 'a.db]'");
  // Items that start like a number: toml++ parses them as one (the house's breaker).
  CHECK(problem("window = [2s]\n") ==
        "c.toml:1: the list of \"window\" has an item not in quotes: '2s]'");
  CHECK(problem("inputs = [\"a.db\", 1.db]\n") ==
        "c.toml:1: the list of \"inputs\" has an item not in quotes: '1.db]'");
  CHECK(problem("= 3\n") == "c.toml:1: expected key = value, not '= 3'");
}

TEST_CASE("config: what TOML allows and the tool never took is refused") {
  CHECK(problem("[nightly]\nwindow = \"2s\"\n") ==
        "c.toml:1: '[nightly]': sections are not supported; put every key = value at the top "
        "level, one a line");
  CHECK(problem("[[x]]\n") == "c.toml:1: '[[x]]': sections are not supported; put every key = "
                              "value at the top level, one a line");
  CHECK(problem("window.x = 1\n") == "c.toml:1: expected key = value after \"window\"");
  CHECK(problem("\"window\" = \"2s\"\n") == "c.toml:1: expected key = value, not '\"window\" = "
                                            "\"2s\"'");
  CHECK(problem("table = \"\"\"a\"\"\"\n") ==
        "c.toml:1: the value of \"table\" is a multi-line string; write it on one line");
  CHECK(problem("inputs = [[\"a\"]]\n") ==
        "c.toml:1: the list of \"inputs\" takes strings, not lists or tables");
  // A bare value that would be TOML's inline table is text, with '=' in it: two settings.
  CHECK(problem("window = {a = 1}\n").find("several settings on one line?") != std::string::npos);
}

TEST_CASE("config: the settings above a problem come first") {
  const ConfigSyntax syntax = read_config_syntax("format = \"json\"\nwindw = 2s\nx = \"", "c.toml");
  CHECK(syntax.settings.size() == 2);
  REQUIRE(syntax.error);
  CHECK(std::string(syntax.error->what()) == "c.toml:3: the value of \"x\" lacks its closing \"");
  // Above an INI problem too; a section above a string that is not closed is the first problem.
  CHECK(settings("window = 2s\nforce =\n") == std::vector<std::string>{"window=2s@1"});
  CHECK(problem("[x]\nwindow = \"2s\n").find("c.toml:1: '[x]'") == 0);
}

TEST_CASE("config: on a command line") {
  SUBCASE("the file's settings") {
    const Parsed parsed =
      parse_with("inputs = ['p.db', 's.db']\noutput = out.db\nforce = true\nwindow = 2s\n", {});
    REQUIRE(parsed.options);
    CHECK(parsed.options->primary == "p.db");
    CHECK(parsed.options->output == std::optional<std::filesystem::path>("out.db"));
    CHECK(parsed.options->force);
    CHECK(parsed.options->window == std::chrono::seconds(2));
  }
  SUBCASE("the command line wins, over what its options exclude too") {
    const Parsed parsed = parse_with("output = \"out.db\"\nforce = true\nquiet = true\n",
                                     {"--in-place", "-v", "a.db", "b.db"});
    REQUIRE(parsed.options);
    CHECK(parsed.options->in_place);
    CHECK_FALSE(parsed.options->output);
    CHECK_FALSE(parsed.options->force);
    CHECK(parsed.options->verbosity == 1);
  }
  SUBCASE("problems of the file name its line") {
    CHECK(parse_with("# nightly\nwindw = 2s\n", {"-n", "a.db", "b.db"}).error ==
          ":2: unknown key \"windw\" (did you mean \"window\"?)");
    CHECK(parse_with("n = true\n", {"a.db", "b.db"}).error ==
          ":1: unknown key \"n\" (did you mean \"dry-run\"?)");
    CHECK(parse_with("force = yes\n", {"-n", "a.db", "b.db"}).error ==
          ":1: \"force\" takes true or false, not 'yes'");
    CHECK(parse_with("force = 1\n", {"-n", "a.db", "b.db"}).error ==
          ":1: \"force\" takes true or false, not '1'");
    CHECK(parse_with("window = 8d\n", {"-n", "a.db", "b.db"})
            .error.find(":1: window: '8d': the unit 'd' is not supported") == 0);
    CHECK(parse_with("output = \"x.db\"\nin-place = true\n", {"a.db", "b.db"})
            .error.find(":2: \"in-place\" excludes \"output\", set on line 1") == 0);
    CHECK(parse_with("help = true\n", {"a.db", "b.db"}).error ==
          ":1: \"help\" cannot be set in a config file");
  }
  SUBCASE("a format above a syntax error is the error's") {
    const Parsed parsed = parse_with("format = \"json\"\nwindow = \"2s\n", {"-n", "a.db", "b.db"});
    CHECK(parsed.error == ":2: the value of \"window\" lacks its closing \"");
    CHECK(parsed.error_format == ReportFormat::json);
  }
}
