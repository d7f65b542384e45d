#pragma once
// Durations as text, both ways: the options' DURATION read (--window, --lock-timeout,
// --max-lock-hold), and the durations that the reports, the -v log and the refusals print.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace heatmap_merge {

// Parses "0", "1500ms", "2s", "0.5s", "1m", "250us", "10ns". Returns nothing when invalid,
// negative, or finer than a nanosecond ("2.5ns", "0.0000000001s": times have nanoseconds).
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);

// Whether a decimal `number` ("2.5", "0.25") of a unit `unit_ns` nanoseconds long is a whole
// number of nanoseconds.
bool whole_nanoseconds(std::string_view number, std::int64_t unit_ns);

// How an option reads a DURATION (parse_duration()), and what a number without a unit means.
struct DurationRule {
  // The unit of a number given without one ("s" for --lock-timeout, whose plain numbers have
  // always been seconds), or empty: then only 0 may go without a unit, since "2" could be either.
  std::string bare_unit;
  // The largest duration allowed, and as the messages spell it.
  std::chrono::nanoseconds limit;
  std::string limit_text;
  // For the message about text that is no duration at all: "0, 1500ms, 2s, 0.5s".
  std::string examples;
};

// Reads `text` by `rule`: the duration, or a message saying why not (a unit that is not
// supported, listing those that are; over the limit, naming it; no number at all), quoting the
// text.
std::pair<std::optional<std::chrono::nanoseconds>, std::string>
read_duration(const std::string& text, const DurationRule& rule);

// "1.5s", "250ms", "0s": a duration as people read it.
std::string format_duration(std::chrono::nanoseconds duration);

// A duration in the unit it was most likely given in: "2m" for 120 s, "1h", "90m", "1.5s",
// "500ms" (format_duration below a minute or for a fraction of one). parse_duration reads it back.
std::string readable_duration(std::chrono::nanoseconds duration);

// A lock's time as -v and the refusals say it: "340 ms", "2.54 s".
std::string seconds_text(std::chrono::duration<double> time);

} // namespace heatmap_merge
