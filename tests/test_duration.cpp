// Unit tests of util/duration.hpp: the DURATION of the options read, with the reasons for a
// refusal, and durations written as the reports and the refusals print them.
#include "util/duration.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

using heatmap_merge::DurationRule;
using heatmap_merge::format_duration;
using heatmap_merge::parse_duration;
using heatmap_merge::read_duration;
using heatmap_merge::seconds_text;

namespace {

constexpr std::int64_t k_ns_per_us = 1'000;
constexpr std::int64_t k_ns_per_ms = 1'000'000;
constexpr std::int64_t k_ns_per_second = 1'000'000'000;
constexpr std::int64_t k_ns_per_minute = 60 * k_ns_per_second;
constexpr std::int64_t k_ns_per_hour = 60 * k_ns_per_minute;
constexpr std::int64_t k_ns_per_day = 24 * k_ns_per_hour;

// The rules of --window and --lock-timeout (cli/options.cpp).
const DurationRule k_window{"", std::chrono::hours(168), "168h (one week)", "0, 1500ms, 2s"};
const DurationRule k_lock_timeout{"s", std::chrono::hours(1), "1h", "5, 30s"};

// read_duration()'s message for `text`, empty when it reads.
std::string problem(const std::string& text, const DurationRule& rule) {
  return read_duration(text, rule).second;
}

} // namespace

TEST_CASE("duration: parse_duration") {
  using std::chrono::nanoseconds;

  SUBCASE("valid durations") {
    CHECK(parse_duration("0") == nanoseconds(0));
    CHECK(parse_duration("0s") == nanoseconds(0));
    CHECK(parse_duration("1500ms") == nanoseconds(1'500 * k_ns_per_ms));
    CHECK(parse_duration("2s") == nanoseconds(2 * k_ns_per_second));
    CHECK(parse_duration("0.5s") == nanoseconds(500 * k_ns_per_ms));
    CHECK(parse_duration("1.5s") == nanoseconds(1'500 * k_ns_per_ms));
    CHECK(parse_duration("1m") == nanoseconds(k_ns_per_minute));
    CHECK(parse_duration("1min") == nanoseconds(k_ns_per_minute));
    CHECK(parse_duration("1h") == nanoseconds(k_ns_per_hour));
    CHECK(parse_duration("250us") == nanoseconds(250 * k_ns_per_us));
    CHECK(parse_duration("10ns") == nanoseconds(10));
    CHECK(parse_duration("0.1s") == nanoseconds(100 * k_ns_per_ms));
  }

  SUBCASE("a week at most") {
    CHECK(parse_duration("168h") == nanoseconds(7 * k_ns_per_day));
    CHECK_FALSE(parse_duration("169h").has_value());
  }

  SUBCASE("invalid durations") {
    CHECK_FALSE(parse_duration("").has_value());
    CHECK_FALSE(parse_duration("2").has_value());
    CHECK_FALSE(parse_duration("0.5").has_value());
    CHECK_FALSE(parse_duration("-1s").has_value());
    CHECK_FALSE(parse_duration("2 s").has_value());
    CHECK_FALSE(parse_duration(" 2s").has_value());
    CHECK_FALSE(parse_duration("2s ").has_value());
    CHECK_FALSE(parse_duration("1x").has_value());
    CHECK_FALSE(parse_duration("8d").has_value());
    CHECK_FALSE(parse_duration("s").has_value());
    CHECK_FALSE(parse_duration("ms").has_value());
    CHECK_FALSE(parse_duration("2S").has_value());
    CHECK_FALSE(parse_duration("1e3ms").has_value());
    CHECK_FALSE(parse_duration("infs").has_value());
    CHECK_FALSE(parse_duration("nans").has_value());
    CHECK_FALSE(parse_duration("1.5.5s").has_value());
    CHECK_FALSE(parse_duration("2ss").has_value());
  }
}

TEST_CASE("duration: format_duration") {
  using std::chrono::nanoseconds;

  SUBCASE("zero") {
    CHECK(format_duration(nanoseconds(0)) == "0s");
  }

  SUBCASE("seconds") {
    CHECK(format_duration(nanoseconds(2 * k_ns_per_second)) == "2s");
    CHECK(format_duration(nanoseconds(1'500 * k_ns_per_ms)) == "1.5s");
    CHECK(format_duration(nanoseconds(k_ns_per_minute)) == "60s");
    CHECK(format_duration(nanoseconds(1'234 * k_ns_per_ms)) == "1.234s");
  }

  SUBCASE("milliseconds, microseconds, nanoseconds") {
    CHECK(format_duration(nanoseconds(250 * k_ns_per_ms)) == "250ms");
    CHECK(format_duration(nanoseconds(1'250 * k_ns_per_us)) == "1.25ms");
    CHECK(format_duration(nanoseconds(250 * k_ns_per_us)) == "250us");
    CHECK(format_duration(nanoseconds(10)) == "10ns");
    CHECK(format_duration(nanoseconds(999)) == "999ns");
  }

  SUBCASE("negative durations keep their sign") {
    CHECK(format_duration(nanoseconds(-1'500 * k_ns_per_ms)) == "-1.5s");
    CHECK(format_duration(nanoseconds(-250 * k_ns_per_ms)) == "-250ms");
    CHECK(format_duration(nanoseconds(-10)) == "-10ns");
  }

  SUBCASE("what format_duration writes, parse_duration reads back") {
    const std::int64_t k_durations[] = {
      0, 10, 250 * k_ns_per_us, 250 * k_ns_per_ms, 1'500 * k_ns_per_ms, 2 * k_ns_per_second};
    for (const std::int64_t duration : k_durations) {
      const std::string text = format_duration(nanoseconds(duration));
      CAPTURE(text);
      CHECK(parse_duration(text) == nanoseconds(duration));
    }
  }
}

TEST_CASE("duration: read_duration says why not") {
  using std::chrono::nanoseconds;

  SUBCASE("what reads") {
    CHECK(read_duration("2s", k_window).first == nanoseconds(2 * k_ns_per_second));
    CHECK(read_duration("0", k_window).first == nanoseconds(0));
    CHECK(read_duration("168h", k_window).first == nanoseconds(7 * k_ns_per_day));
    // A plain number is the rule's bare unit.
    CHECK(read_duration("5", k_lock_timeout).first == nanoseconds(5 * k_ns_per_second));
    CHECK(problem("1500ms", k_window).empty());
  }

  SUBCASE("the reasons, quoting the text") {
    CHECK(problem("nonsense", k_window) ==
          "'nonsense' is not a duration (examples: 0, 1500ms, 2s; units: ns, us, ms, s, m (or "
          "min) or h)");
    CHECK(problem("-1s", k_window) == "'-1s' is negative: a duration is 0 or more");
    CHECK(problem("2", k_window) == "'2' needs a unit, such as 2ms or 2s (only 0 may go without "
                                    "one; units: ns, us, ms, s, m (or min) or h)");
    CHECK(problem("8d", k_window) == "'8d': the unit 'd' is not supported; use ns, us, ms, s, m "
                                     "(or min) or h, up to 168h (one week)");
    CHECK(problem("2.5ns", k_window) == "'2.5ns' is finer than a nanosecond, the precision of "
                                        "times; give whole nanoseconds");
    CHECK(problem("169h", k_window) == "'169h' is over the limit of 168h (one week)");
    CHECK(problem("2h", k_lock_timeout) == "'2h' is over the limit of 1h");
  }
}

TEST_CASE("duration: seconds_text") {
  using std::chrono::duration;
  CHECK(seconds_text(duration<double>(0.34)) == "340 ms");
  CHECK(seconds_text(duration<double>(1.004)) == "1.00 s");
  CHECK(seconds_text(duration<double>(2.54)) == "2.54 s");
  CHECK(seconds_text(duration<double>(12.34)) == "12.3 s");
}
