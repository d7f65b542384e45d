// Times (util/timestamp.hpp): parse_instant and instant_from_epoch as the man page states them,
// format_instant, parse_duration and format_duration.
#include "util/timestamp.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

using heatmap_merge::format_instant;
using heatmap_merge::Instant;
using heatmap_merge::instant_distance;
using heatmap_merge::instant_from_epoch;
using heatmap_merge::instant_plus;
using heatmap_merge::parse_instant;

namespace {

constexpr std::int64_t k_ns_per_us = 1'000;
constexpr std::int64_t k_ns_per_ms = 1'000'000;
constexpr std::int64_t k_ns_per_second = 1'000'000'000;
constexpr std::int64_t k_ns_per_minute = 60 * k_ns_per_second;
constexpr std::int64_t k_ns_per_hour = 60 * k_ns_per_minute;
constexpr std::int64_t k_ns_per_day = 24 * k_ns_per_hour;

// 2026-02-18T10:00:03Z (checked with `date -u -d @1771408803`).
constexpr std::int64_t k_click_epoch_seconds = 1'771'408'803;
constexpr Instant k_click = k_click_epoch_seconds * k_ns_per_second;
// 2026-02-18T00:00:00Z.
constexpr Instant k_click_day = k_click - 10 * k_ns_per_hour - 3 * k_ns_per_second;

// 2024-02-29T00:00:00Z: 19782 days after the epoch.
constexpr Instant k_leap_day = 19'782 * k_ns_per_day;

std::optional<Instant> at(Instant instant) {
  return instant;
}

} // namespace

TEST_CASE("timestamp: parse_instant reads ISO 8601 date-times") {
  SUBCASE("the separator may be T, t or a space") {
    CHECK(parse_instant("2026-02-18T10:00:03") == at(k_click));
    CHECK(parse_instant("2026-02-18t10:00:03") == at(k_click));
    CHECK(parse_instant("2026-02-18 10:00:03") == at(k_click));
  }

  SUBCASE("no offset means UTC, and Z says so") {
    CHECK(parse_instant("2026-02-18T10:00:03Z") == at(k_click));
    CHECK(parse_instant("2026-02-18T10:00:03z") == at(k_click));
  }

  SUBCASE("seconds may be left out") {
    CHECK(parse_instant("2026-02-18T10:00") == at(k_click - 3 * k_ns_per_second));
    CHECK(parse_instant("2026-02-18T10:00Z") == at(k_click - 3 * k_ns_per_second));
  }

  SUBCASE("a date alone is its midnight in UTC") {
    CHECK(parse_instant("2026-02-18") == at(k_click_day));
    CHECK(parse_instant("1970-01-01") == at(0));
    CHECK(parse_instant("1969-12-31") == at(-k_ns_per_day));
  }

  SUBCASE("the epoch itself and the instants around it") {
    CHECK(parse_instant("1970-01-01T00:00:00Z") == at(0));
    CHECK(parse_instant("1970-01-01T00:00:00.000000001Z") == at(1));
    CHECK(parse_instant("1969-12-31T23:59:59.999999999Z") == at(-1));
  }
}

TEST_CASE("timestamp: parse_instant reads a fraction of 1 to 12 digits") {
  SUBCASE("each length up to nanoseconds") {
    CHECK(parse_instant("2026-02-18T10:00:03.5") == at(k_click + 500 * k_ns_per_ms));
    CHECK(parse_instant("2026-02-18T10:00:03.12") == at(k_click + 120 * k_ns_per_ms));
    CHECK(parse_instant("2026-02-18T10:00:03.123") == at(k_click + 123 * k_ns_per_ms));
    CHECK(parse_instant("2026-02-18T10:00:03.1234") == at(k_click + 123'400 * k_ns_per_us));
    CHECK(parse_instant("2026-02-18T10:00:03.12345") == at(k_click + 123'450 * k_ns_per_us));
    CHECK(parse_instant("2026-02-18T10:00:03.123456") == at(k_click + 123'456 * k_ns_per_us));
    CHECK(parse_instant("2026-02-18T10:00:03.1234567") == at(k_click + 123'456'700));
    CHECK(parse_instant("2026-02-18T10:00:03.12345678") == at(k_click + 123'456'780));
    CHECK(parse_instant("2026-02-18T10:00:03.123456789") == at(k_click + 123'456'789));
  }

  SUBCASE("digits beyond nanoseconds are ignored, not rounded") {
    CHECK(parse_instant("2026-02-18T10:00:03.1234567891") == at(k_click + 123'456'789));
    CHECK(parse_instant("2026-02-18T10:00:03.12345678999") == at(k_click + 123'456'789));
    CHECK(parse_instant("2026-02-18T10:00:03.123456789999") == at(k_click + 123'456'789));
    CHECK(parse_instant("2026-02-18T10:00:03.999999999999Z") == at(k_click + 999'999'999));
  }

  SUBCASE("a comma is a decimal sign too") {
    CHECK(parse_instant("2026-02-18T10:00:03,5") == at(k_click + 500 * k_ns_per_ms));
  }

  SUBCASE("zeros are the same instant however many") {
    CHECK(parse_instant("2026-02-18T10:00:03.0") == at(k_click));
    CHECK(parse_instant("2026-02-18T10:00:03.000000000000") == at(k_click));
  }

  SUBCASE("a decimal sign without digits is invalid") {
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03.").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03.Z").has_value());
  }
}

TEST_CASE("timestamp: the same click written by two nodes is one instant") {
  SUBCASE("the spec's example: short fraction and space with microseconds") {
    const std::optional<Instant> one = parse_instant("2026-02-18T10:00:03.5");
    const std::optional<Instant> other = parse_instant("2026-02-18 10:00:03.500000");
    REQUIRE(one.has_value());
    CHECK(one == other);
  }

  SUBCASE("an offset and Z") {
    const std::optional<Instant> one = parse_instant("2026-02-18T12:00:03+02:00");
    REQUIRE(one.has_value());
    CHECK(one == parse_instant("2026-02-18T10:00:03Z"));
  }

  SUBCASE("ISO 8601 and epoch text") {
    CHECK(parse_instant("1771408803") == parse_instant("2026-02-18T10:00:03Z"));
    CHECK(parse_instant("1771408803500") == parse_instant("2026-02-18T10:00:03.5Z"));
    CHECK(parse_instant("1771408803.5") == parse_instant("2026-02-18 10:00:03.500000"));
  }
}

TEST_CASE("timestamp: parse_instant applies offsets") {
  SUBCASE("+hh:mm is ahead of UTC") {
    CHECK(parse_instant("2026-02-18T12:00:03+02:00") == at(k_click));
    CHECK(parse_instant("2026-02-18T12:30:03+02:30") == at(k_click));
  }

  SUBCASE("-hhmm without a colon is behind UTC") {
    CHECK(parse_instant("2026-02-18T04:30:03-0530") == at(k_click));
  }

  SUBCASE("+hh alone is whole hours") {
    CHECK(parse_instant("2026-02-18T15:00:03+05") == at(k_click));
    CHECK(parse_instant("2026-02-18T05:00:03-05") == at(k_click));
  }

  SUBCASE("zero offsets") {
    CHECK(parse_instant("2026-02-18T10:00:03+00:00") == at(k_click));
    CHECK(parse_instant("2026-02-18T10:00:03-00:00") == at(k_click));
  }

  SUBCASE("an offset after a fraction") {
    CHECK(parse_instant("2026-02-18T12:00:03.5+02:00") == at(k_click + 500 * k_ns_per_ms));
  }

  SUBCASE("an offset may cross midnight") {
    CHECK(parse_instant("2026-02-19T01:00:03+15:00") == at(k_click));
    CHECK(parse_instant("2026-02-17T23:00:03-11:00") == at(k_click));
  }

  SUBCASE("malformed offsets are invalid") {
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+24:00").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+02:60").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+2").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+02:0").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+020").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+02:000").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+02:00Z").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03Z+02:00").has_value());
  }

  SUBCASE("an offset that ends in a colon is invalid") {
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+02:").has_value());
  }
}

TEST_CASE("timestamp: parse_instant checks the calendar and the clock") {
  SUBCASE("leap days") {
    CHECK(parse_instant("2024-02-29") == at(k_leap_day));
    CHECK(parse_instant("2024-02-29T00:00:00Z") == at(k_leap_day));
    CHECK(parse_instant("2024-03-01") == at(k_leap_day + k_ns_per_day));
    CHECK(parse_instant("2000-02-29").has_value());
    CHECK_FALSE(parse_instant("2023-02-29").has_value());
    CHECK_FALSE(parse_instant("2023-02-29T10:00:00Z").has_value());
    CHECK_FALSE(parse_instant("2100-02-29").has_value());
  }

  SUBCASE("days and months out of range") {
    CHECK_FALSE(parse_instant("2026-13-01").has_value());
    CHECK_FALSE(parse_instant("2026-00-10").has_value());
    CHECK_FALSE(parse_instant("2026-04-31").has_value());
    CHECK_FALSE(parse_instant("2026-01-32").has_value());
    CHECK_FALSE(parse_instant("2026-01-00").has_value());
  }

  SUBCASE("the last instant of a day is valid, hour 24 and minute 60 are not") {
    CHECK(parse_instant("2026-02-18T23:59:59.999999999") == at(k_click_day + k_ns_per_day - 1));
    CHECK_FALSE(parse_instant("2026-02-18T24:00:00").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:60:00").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:61").has_value());
  }

  SUBCASE("malformed fields") {
    CHECK_FALSE(parse_instant("2026-2-18T10:00:03").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T1:00:03").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:0").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:3").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10-00-03").has_value());
    CHECK_FALSE(parse_instant("2026-02-18X10:00:03").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T").has_value());
    CHECK_FALSE(parse_instant("2026-02-1a").has_value());
    CHECK_FALSE(parse_instant("20a6-02-18").has_value());
    CHECK_FALSE(parse_instant("2026/02/18").has_value());
  }

  SUBCASE("trailing garbage is invalid") {
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03 ").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03ZZ").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03.5x").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03 UTC").has_value());
    CHECK_FALSE(parse_instant("2026-02-18T10:00:03+02:00 ").has_value());
    CHECK_FALSE(parse_instant("2026-02-18 ").has_value());
    CHECK_FALSE(parse_instant("2026-02-18Z").has_value());
    CHECK_FALSE(parse_instant("2026-02-18x").has_value());
  }

  SUBCASE("leading space is invalid") {
    CHECK_FALSE(parse_instant(" 2026-02-18T10:00:03").has_value());
  }
}

TEST_CASE("timestamp: parse_instant keeps to the range of int64 nanoseconds") {
  SUBCASE("years far from the epoch give nothing") {
    CHECK_FALSE(parse_instant("1500-01-01").has_value());
    CHECK_FALSE(parse_instant("1500-06-15T12:00:00Z").has_value());
    CHECK_FALSE(parse_instant("2300-01-01").has_value());
    CHECK_FALSE(parse_instant("2300-06-15T12:00:00Z").has_value());
    CHECK_FALSE(parse_instant("0000-01-01").has_value());
    CHECK_FALSE(parse_instant("9999-12-31T23:59:59Z").has_value());
  }

  SUBCASE("years inside the range work") {
    CHECK(parse_instant("1700-01-01").has_value());
    CHECK(parse_instant("2261-12-31T23:59:59Z").has_value());
  }

  SUBCASE("the edges of the range") {
    // INT64_MIN nanoseconds is 1677-09-21T00:12:43.145224192Z.
    CHECK(parse_instant("1677-09-21T00:12:43.145224192Z") ==
          at(std::numeric_limits<Instant>::min()));
    CHECK_FALSE(parse_instant("1677-09-21T00:12:43.145224191Z").has_value());
    CHECK(parse_instant("2262-04-11T23:47:16.854775806Z") ==
          at(std::numeric_limits<Instant>::max() - 1));
    CHECK_FALSE(parse_instant("2262-04-11T23:47:16.854775808Z").has_value());
  }
}

TEST_CASE("timestamp: parse_instant reads epoch numbers in text") {
  SUBCASE("seconds") {
    CHECK(parse_instant("1771408803") == at(k_click));
    CHECK(parse_instant("0") == at(0));
    CHECK(parse_instant("1") == at(k_ns_per_second));
  }

  SUBCASE("milliseconds from 1e11 up") {
    CHECK(parse_instant("1771408803000") == at(k_click));
    CHECK(parse_instant("1771408803123") == at(k_click + 123 * k_ns_per_ms));
    CHECK(parse_instant("100000000000") == at(100'000'000'000 * k_ns_per_ms));
    // Just under the threshold it is seconds, which lies beyond 2262.
    CHECK_FALSE(parse_instant("99999999999").has_value());
  }

  SUBCASE("negative") {
    CHECK(parse_instant("-1") == at(-k_ns_per_second));
    CHECK(parse_instant("-86400") == at(-k_ns_per_day));
    CHECK(parse_instant("-100000000000") == at(-100'000'000'000 * k_ns_per_ms));
    CHECK(parse_instant("-1.5") == at(-1'500 * k_ns_per_ms));
  }

  SUBCASE("fractional, to the microsecond") {
    CHECK(parse_instant("1771408803.5") == at(k_click + 500 * k_ns_per_ms));
    CHECK(parse_instant("1771408803.1") == at(k_click + 100 * k_ns_per_ms));
    CHECK(parse_instant("1771408803.123456") == at(k_click + 123'456 * k_ns_per_us));
    CHECK(parse_instant("1771408803123.5") == at(k_click + 123'500 * k_ns_per_us));
    CHECK(parse_instant("0.5") == at(500 * k_ns_per_ms));
    CHECK(parse_instant(".5") == at(500 * k_ns_per_ms));
  }

  SUBCASE("not numbers, or not finite") {
    CHECK_FALSE(parse_instant("").has_value());
    CHECK_FALSE(parse_instant("inf").has_value());
    CHECK_FALSE(parse_instant("-inf").has_value());
    CHECK_FALSE(parse_instant("infinity").has_value());
    CHECK_FALSE(parse_instant("nan").has_value());
    CHECK_FALSE(parse_instant("NaN").has_value());
    CHECK_FALSE(parse_instant("-").has_value());
    CHECK_FALSE(parse_instant(".").has_value());
    CHECK_FALSE(parse_instant("+1771408803").has_value());
    CHECK_FALSE(parse_instant(" 1771408803").has_value());
    CHECK_FALSE(parse_instant("1771408803 ").has_value());
    CHECK_FALSE(parse_instant("1771408803s").has_value());
    CHECK_FALSE(parse_instant("0x10").has_value());
    CHECK_FALSE(parse_instant("1e400").has_value());
    CHECK_FALSE(parse_instant("yesterday").has_value());
    CHECK_FALSE(parse_instant("10:00:03").has_value());
  }
}

TEST_CASE("timestamp: instant_from_epoch reads stored numbers") {
  SUBCASE("integers below 1e11 are seconds") {
    CHECK(instant_from_epoch(std::int64_t{0}) == at(0));
    CHECK(instant_from_epoch(k_click_epoch_seconds) == at(k_click));
    CHECK(instant_from_epoch(std::int64_t{-1}) == at(-k_ns_per_second));
  }

  SUBCASE("integers from 1e11 in magnitude are milliseconds") {
    CHECK(instant_from_epoch(std::int64_t{100'000'000'000}) == at(100'000'000'000 * k_ns_per_ms));
    CHECK(instant_from_epoch(std::int64_t{1'771'408'803'500}) == at(k_click + 500 * k_ns_per_ms));
    CHECK(instant_from_epoch(std::int64_t{-100'000'000'000}) == at(-100'000'000'000 * k_ns_per_ms));
  }

  SUBCASE("integers out of range give nothing") {
    CHECK_FALSE(instant_from_epoch(std::int64_t{99'999'999'999}).has_value());
    CHECK_FALSE(instant_from_epoch(std::int64_t{-99'999'999'999}).has_value());
    CHECK_FALSE(instant_from_epoch(std::numeric_limits<std::int64_t>::max()).has_value());
    CHECK_FALSE(instant_from_epoch(std::numeric_limits<std::int64_t>::min()).has_value());
  }

  SUBCASE("reals are rounded to microseconds") {
    const std::optional<Instant> stored = instant_from_epoch(1771408803.1);
    REQUIRE(stored.has_value());
    CHECK(stored == parse_instant("2026-02-18T10:00:03.1Z"));
    CHECK(instant_from_epoch(1771408803.5) == at(k_click + 500 * k_ns_per_ms));
    CHECK(instant_from_epoch(1771408803.0000002) == at(k_click));
    CHECK(instant_from_epoch(0.0000016) == at(2 * k_ns_per_us));
    CHECK(instant_from_epoch(-1.5) == at(-1'500 * k_ns_per_ms));
  }

  SUBCASE("reals in the last year of instants, before 2262-04-11, are instants") {
    CHECK(instant_from_epoch(9223357985.192) == parse_instant("2262-04-11T19:53:05.192Z"));
    CHECK(instant_from_epoch(-9223357985.192) == parse_instant("1677-09-21T04:06:54.808Z"));
    CHECK(instant_from_epoch(9223372036854.0) == parse_instant("2262-04-11T23:47:16.854Z"));
    CHECK_FALSE(instant_from_epoch(9223372037.0).has_value());
    CHECK_FALSE(instant_from_epoch(-9223372037.0).has_value());
  }

  SUBCASE("reals from 1e11 in magnitude are milliseconds") {
    CHECK(instant_from_epoch(1771408803500.0) == at(k_click + 500 * k_ns_per_ms));
    CHECK(instant_from_epoch(1771408803100.25) == at(k_click + 100'250 * k_ns_per_us));
  }

  SUBCASE("a real and an integer of the same value agree") {
    CHECK(instant_from_epoch(1771408803.0) == instant_from_epoch(k_click_epoch_seconds));
    CHECK(instant_from_epoch(1771408803000.0) ==
          instant_from_epoch(std::int64_t{1'771'408'803'000}));
  }

  SUBCASE("reals not finite or out of range give nothing") {
    CHECK_FALSE(instant_from_epoch(std::numeric_limits<double>::infinity()).has_value());
    CHECK_FALSE(instant_from_epoch(-std::numeric_limits<double>::infinity()).has_value());
    CHECK_FALSE(instant_from_epoch(std::numeric_limits<double>::quiet_NaN()).has_value());
    CHECK_FALSE(instant_from_epoch(1e300).has_value());
    CHECK_FALSE(instant_from_epoch(-1e300).has_value());
    CHECK_FALSE(instant_from_epoch(99'999'999'999.0).has_value());
  }
}

TEST_CASE("timestamp: format_instant writes ISO 8601 in UTC") {
  SUBCASE("whole seconds have no fraction") {
    CHECK(format_instant(k_click) == "2026-02-18T10:00:03Z");
    CHECK(format_instant(0) == "1970-01-01T00:00:00Z");
  }

  SUBCASE("the fraction is as long as it needs") {
    CHECK(format_instant(k_click + 500 * k_ns_per_ms) == "2026-02-18T10:00:03.5Z");
    CHECK(format_instant(k_click + 120 * k_ns_per_ms) == "2026-02-18T10:00:03.12Z");
    CHECK(format_instant(k_click + 5 * k_ns_per_ms) == "2026-02-18T10:00:03.005Z");
    CHECK(format_instant(k_click + 123'456 * k_ns_per_us) == "2026-02-18T10:00:03.123456Z");
    CHECK(format_instant(k_click + 1) == "2026-02-18T10:00:03.000000001Z");
    CHECK(format_instant(k_click + 123'456'789) == "2026-02-18T10:00:03.123456789Z");
  }

  SUBCASE("before the epoch") {
    CHECK(format_instant(-1) == "1969-12-31T23:59:59.999999999Z");
    CHECK(format_instant(-k_ns_per_day) == "1969-12-31T00:00:00Z");
    CHECK(format_instant(-k_ns_per_day - 1) == "1969-12-30T23:59:59.999999999Z");
    CHECK(format_instant(-500 * k_ns_per_ms) == "1969-12-31T23:59:59.5Z");
  }

  SUBCASE("leap day") {
    CHECK(format_instant(k_leap_day) == "2024-02-29T00:00:00Z");
  }

  SUBCASE("the ends of the range") {
    // The first day of the range: run under HEATMAP_MERGE_SANITIZE, UBSan sees whether the day
    // arithmetic overflows.
    CHECK(format_instant(std::numeric_limits<Instant>::min()) == "1677-09-21T00:12:43.145224192Z");
    CHECK(format_instant(std::numeric_limits<Instant>::min() + 12 * k_ns_per_hour) ==
          "1677-09-21T12:12:43.145224192Z");
    CHECK(format_instant(std::numeric_limits<Instant>::max() - 1) ==
          "2262-04-11T23:47:16.854775806Z");
  }

  SUBCASE("round trips") {
    const std::int64_t k_instants[] = {0,
                                       1,
                                       -1,
                                       k_click,
                                       k_click + 500 * k_ns_per_ms,
                                       k_click + 123'456'789,
                                       k_leap_day + k_ns_per_day - 1,
                                       -k_ns_per_day - 7,
                                       std::numeric_limits<Instant>::min(),
                                       std::numeric_limits<Instant>::max() - 1};
    for (const std::int64_t instant : k_instants) {
      const std::string text = format_instant(instant);
      CAPTURE(text);
      CHECK(parse_instant(text) == at(instant));
    }
    const std::string_view k_texts[] = {"2026-02-18T10:00:03Z",
                                        "2026-02-18T10:00:03.5Z",
                                        "2024-02-29T23:59:59.999999999Z",
                                        "1969-07-20T20:17:40Z"};
    for (const std::string_view text : k_texts) {
      const std::optional<Instant> instant = parse_instant(text);
      REQUIRE(instant.has_value());
      CHECK(format_instant(*instant) == text);
    }
  }

  SUBCASE("other spellings come back in the canonical one") {
    const std::optional<Instant> instant = parse_instant("2026-02-18 12:00:03.500000+02:00");
    REQUIRE(instant.has_value());
    CHECK(format_instant(*instant) == "2026-02-18T10:00:03.5Z");
  }
}

TEST_CASE("timestamp: the service's format and every near miss of it") {
  const std::string service = "2026-02-18 10:00:03.123456";
  SUBCASE("each separator and every fraction length the fast path takes") {
    CHECK(parse_instant(service) == at(k_click + 123'456 * k_ns_per_us));
    CHECK(parse_instant("2026-02-18T10:00:03,123456") == at(k_click + 123'456 * k_ns_per_us));
    CHECK(parse_instant("2026-02-18 10:00:03") == at(k_click));
    CHECK(parse_instant("2026-02-18 10:00:03.9") == at(k_click + 900 * k_ns_per_ms));
    CHECK(parse_instant("2026-02-18 10:00:03.000000001") == at(k_click + 1));
    CHECK(parse_instant("2026-02-18 23:59:59.999999") ==
          at(k_click_day + k_ns_per_day - k_ns_per_us));
  }

  SUBCASE("a character that is not a digit or the separator, anywhere, is no date-time") {
    // Characters on both sides of the digits: one below '0' once overflowed the arithmetic
    // (found by fuzz_timestamp; UBSan catches a regression in the sanitizer build).
    for (const char stranger : {'x', '/', '\x01', '\xff'}) {
      for (std::size_t i = 0; i < service.size(); ++i) {
        std::string broken = service;
        broken[i] = broken[i] == ':' || broken[i] == '-' ? '5' : stranger;
        CAPTURE(broken);
        // A '5' for a '-' or ':' leaves a text that is no epoch number either.
        CHECK_FALSE(parse_instant(broken).has_value());
      }
    }
    for (const char* broken : {"2026-02-18 10:00:03.12345/", "2026-02-18 10:00:03.12345:"}) {
      CAPTURE(broken);
      CHECK_FALSE(parse_instant(broken).has_value());
    }
  }

  SUBCASE("out-of-range fields are refused, a leap second is not") {
    CHECK_FALSE(parse_instant("2026-02-18 24:00:03.123456").has_value());
    CHECK_FALSE(parse_instant("2026-02-18 10:60:03.123456").has_value());
    CHECK_FALSE(parse_instant("2026-02-18 10:00:61.123456").has_value());
    CHECK(parse_instant("2026-02-18 23:59:60.5") ==
          at(k_click_day + k_ns_per_day + 500 * k_ns_per_ms));
  }

  SUBCASE("dates far from the epoch take the wide path and its range check") {
    CHECK(parse_instant("2261-12-31 23:59:59.000000").has_value());
    CHECK_FALSE(parse_instant("2262-12-31 23:59:59.000000").has_value());
    CHECK_FALSE(parse_instant("1677-01-01 00:00:00.000000").has_value());
    CHECK(parse_instant("1678-01-01 00:00:00.000000").has_value());
  }
}

TEST_CASE("the time rules the man page states") {
  // A leap second is the next minute's first second.
  CHECK(parse_instant("2026-02-18T23:59:60Z") == parse_instant("2026-02-19T00:00:00Z"));
  CHECK(parse_instant("2026-02-18 23:59:60") == parse_instant("2026-02-19 00:00:00"));
  // Lowercase t and z.
  CHECK(parse_instant("2026-02-18t10:00:03z") == parse_instant("2026-02-18T10:00:03Z"));
  // ISO times outside 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775806Z are text
  // (the next nanosecond, the largest int64, marks a time that is text).
  CHECK(parse_instant("1677-09-21T00:12:43.145224192Z") == std::numeric_limits<Instant>::min());
  CHECK(parse_instant("2262-04-11T23:47:16.854775806Z") ==
        std::numeric_limits<Instant>::max() - 1);
  CHECK_FALSE(parse_instant("2262-04-11T23:47:16.854775807Z"));

  CHECK_FALSE(parse_instant("1677-09-21T00:12:43.145224191Z"));
  CHECK_FALSE(parse_instant("2262-04-11T23:47:16.854775808Z"));
  CHECK_FALSE(parse_instant("0001-01-01 00:00:00"));
  CHECK_FALSE(parse_instant("9999-12-31 23:59:59"));
  // Epoch text is a number only when it is all number.
  CHECK(parse_instant("1771408800") == std::int64_t{1771408800} * 1'000'000'000);
  CHECK(parse_instant("-1771408800").has_value());
  CHECK(parse_instant("1771408800.5").has_value());
  CHECK(parse_instant("1.7714088e9") == std::int64_t{1771408800} * 1'000'000'000);
  CHECK_FALSE(parse_instant("+1771408800"));
  CHECK_FALSE(parse_instant(" 1771408800"));
  CHECK_FALSE(parse_instant("1771408800 "));
}

TEST_CASE("instant_distance spans the whole range of instants either way") {
  constexpr Instant low = std::numeric_limits<Instant>::min();
  constexpr Instant high = std::numeric_limits<Instant>::max();
  CHECK(instant_distance(low, high) == std::numeric_limits<std::uint64_t>::max());
  CHECK(instant_distance(high, low) == std::numeric_limits<std::uint64_t>::max());
  CHECK(instant_distance(-5, 7) == 12);
  CHECK(instant_distance(7, -5) == 12);
  CHECK(instant_distance(3, 3) == 0);
}

TEST_CASE("instant_plus stops at the largest instant") {
  constexpr Instant high = std::numeric_limits<Instant>::max();
  CHECK(instant_plus(0, 5) == 5);
  CHECK(instant_plus(high - 5, 5) == high);
  CHECK(instant_plus(high - 5, 6) == high);
  CHECK(instant_plus(std::numeric_limits<Instant>::min(),
                     std::numeric_limits<std::uint64_t>::max()) == high);
}
