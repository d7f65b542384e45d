// Durations as text, both ways (duration.hpp): parse_duration() and read_duration() for the
// options, format_duration(), readable_duration() and seconds_text() for what the tool prints.
#include "util/duration.hpp"
#include "util/units.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <system_error>

namespace heatmap_merge {

namespace {

// Wide enough for a fraction's digits times an hour's nanoseconds.
__extension__ using Wide = __int128;

// The units parse_duration() reads, for the messages. duration_units.sh checks each of them.
constexpr const char* k_duration_units = "ns, us, ms, s, m (or min) or h";

} // namespace

bool whole_nanoseconds(std::string_view number, std::int64_t unit_ns) {
  const std::size_t point = number.find('.');
  if (point == std::string_view::npos) {
    return true;
  }
  std::string_view fraction = number.substr(point + 1);
  while (!fraction.empty() && fraction.back() == '0') {
    fraction.remove_suffix(1);
  }
  // 24 digits times a unit of an hour still fit; no unit makes more digits whole.
  if (fraction.size() > 24) {
    return false;
  }
  Wide digits = 0;
  Wide scale = 1;
  for (const char c : fraction) {
    digits = digits * 10 + (c - '0');
    scale *= 10;
  }
  return digits * unit_ns % scale == 0;
}

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  double value = 0;
  const std::from_chars_result number =
    std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (number.ec != std::errc() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  const std::string_view unit(number.ptr,
                              static_cast<std::size_t>(text.data() + text.size() - number.ptr));
  double scale = 0;
  if (unit.empty()) {
    // Only zero may go without a unit: "2" could mean seconds or milliseconds.
    if (value != 0) {
      return std::nullopt;
    }
  } else if (unit == "ns") {
    scale = 1;
  } else if (unit == "us" || unit == "µs") {
    scale = 1e3;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "s") {
    scale = 1e9;
  } else if (unit == "m" || unit == "min") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else {
    return std::nullopt;
  }
  // 2.5ns would be rounded to 3 and match pairs 3 ns apart: refuse what is finer than a
  // nanosecond, the times' own precision.
  if (!whole_nanoseconds(text.substr(0, static_cast<std::size_t>(number.ptr - text.data())),
                         static_cast<std::int64_t>(scale))) {
    return std::nullopt;
  }
  const double nanoseconds = std::round(value * scale);
  // A week is far beyond any sensible window and keeps the arithmetic far from overflow.
  if (nanoseconds > 7 * 86400e9) {
    return std::nullopt;
  }
  return std::chrono::nanoseconds(static_cast<std::int64_t>(nanoseconds));
}

std::pair<std::optional<std::chrono::nanoseconds>, std::string>
read_duration(const std::string& text, const DurationRule& rule) {
  const auto refuse = [](std::string message) {
    return std::pair<std::optional<std::chrono::nanoseconds>, std::string>{std::nullopt,
                                                                           std::move(message)};
  };
  // The number, then the unit; parse_duration() reads them, this only says what is wrong.
  std::size_t number_end = text.empty() || text[0] != '-' ? 0 : 1;
  while (
    number_end < text.size() &&
    (std::isdigit(static_cast<unsigned char>(text[number_end])) != 0 || text[number_end] == '.')) {
    ++number_end;
  }
  const std::string_view number = std::string_view(text).substr(0, number_end);
  const std::string unit = text.substr(number_end);
  double value = 0;
  const auto [end, status] =
    std::from_chars(number.data(), number.data() + number.size(), value, std::chars_format::fixed);
  if (number.empty() || status != std::errc{} || end != number.data() + number.size()) {
    return refuse(fmt::format(
      "'{}' is not a duration (examples: {}; units: {})", text, rule.examples, k_duration_units));
  }
  if (number[0] == '-') {
    return refuse(fmt::format("'{}' is negative: a duration is 0 or more", text));
  }
  std::string duration_text = text;
  if (unit.empty()) {
    if (!rule.bare_unit.empty()) {
      duration_text += rule.bare_unit;
    } else if (value != 0) {
      return refuse(fmt::format("'{}' needs a unit, such as {}ms or {}s (only 0 may go without "
                                "one; units: {})",
                                text,
                                number,
                                number,
                                k_duration_units));
    }
  } else if (!parse_duration("0" + unit)) {
    return refuse(fmt::format("'{}': the unit '{}' is not supported; use {}, up to {}",
                              text,
                              unit,
                              k_duration_units,
                              rule.limit_text));
  }
  const std::optional<std::chrono::nanoseconds> duration = parse_duration(duration_text);
  const std::optional<std::chrono::nanoseconds> one_unit =
    parse_duration("1" + duration_text.substr(number_end));
  if (!duration && one_unit && !whole_nanoseconds(number, one_unit->count())) {
    return refuse(fmt::format(
      "'{}' is finer than a nanosecond, the precision of times; give whole nanoseconds", text));
  }
  // With the number and the unit good, parse_duration() refuses only beyond its one week.
  if (!duration || *duration > rule.limit) {
    return refuse(fmt::format("'{}' is over the limit of {}", text, rule.limit_text));
  }
  return {duration, std::string{}};
}

std::string format_duration(std::chrono::nanoseconds duration) {
  const std::int64_t ns = duration.count();
  auto trimmed = [](double value, const char* unit) {
    std::string number = fmt::format("{:.3f}", value);
    while (number.back() == '0') {
      number.pop_back();
    }
    if (number.back() == '.') {
      number.pop_back();
    }
    return number + unit;
  };
  const std::int64_t magnitude = ns < 0 ? -ns : ns;
  if (magnitude >= k_ns_per_second || ns == 0) {
    return trimmed(static_cast<double>(ns) / 1e9, "s");
  }
  // Below a unit by less than the rounding of three decimals, the next unit reads better.
  if (magnitude >= 999'999'500) {
    return trimmed(static_cast<double>(ns) / 1e9, "s");
  }
  if (magnitude >= 1'000'000) {
    return trimmed(static_cast<double>(ns) / 1e6, "ms");
  }
  if (magnitude >= 1'000) {
    return trimmed(static_cast<double>(ns) / 1e3, "us");
  }
  return fmt::format("{}ns", ns);
}

std::string readable_duration(std::chrono::nanoseconds duration) {
  const std::int64_t ns = duration.count();
  const std::int64_t magnitude = ns < 0 ? -ns : ns;
  if (magnitude >= k_ns_per_hour && magnitude % k_ns_per_hour == 0) {
    return fmt::format("{}h", ns / k_ns_per_hour);
  }
  if (magnitude >= k_ns_per_minute && magnitude % k_ns_per_minute == 0) {
    return fmt::format("{}m", ns / k_ns_per_minute);
  }
  return format_duration(duration);
}

std::string seconds_text(std::chrono::duration<double> time) {
  // Two decimals near the usual budgets, so that an estimate just past 1 s never reads "1.0 s".
  if (time.count() < 1) {
    return fmt::format("{:.0f} ms", time.count() * 1000);
  }
  if (time.count() < 10) {
    return fmt::format("{:.2f} s", time.count());
  }
  return fmt::format("{:.1f} s", time.count());
}

} // namespace heatmap_merge
