// libFuzzer target for the timestamp parser (scripts/fuzz.sh runs it).
//
// Properties checked on every input, beyond "no crash, no sanitizer report":
// - parse_instant(format_instant(x)) == x for every instant x that parse_instant returns, and
//   for every 64-bit instant at all (format_instant must handle its whole domain: 1677 to 2262);
// - parse_duration returns only durations in [0, one week], and what format_duration prints
//   for them parses again, to within the rounding of its three decimals.
#include "util/duration.hpp"
#include "util/timestamp.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace {

using heatmap_merge::Instant;

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail) {
  std::fprintf(stderr,
               "fuzz_timestamp: %s\n  input: \"%.*s\"\n  %s\n",
               what,
               static_cast<int>(input.size()),
               input.data(),
               detail.c_str());
  std::abort();
}

// Every instant but the largest int64, which marks a time that is text and parses as none.
void check_round_trip(Instant instant, std::string_view input) {
  const std::string formatted = heatmap_merge::format_instant(instant);
  const std::optional<Instant> again = heatmap_merge::parse_instant(formatted);
  const bool text_marker = instant == std::numeric_limits<Instant>::max();
  if (text_marker ? again.has_value() : !again || *again != instant) {
    fail("format_instant does not parse back to the same instant",
         input,
         "instant " + std::to_string(instant) + " formatted as \"" + formatted + "\" parses as " +
           (again ? std::to_string(*again) : std::string("nothing")));
  }
}

void check_duration(std::string_view text) {
  const std::optional<std::chrono::nanoseconds> duration = heatmap_merge::parse_duration(text);
  if (!duration) {
    return;
  }
  const std::int64_t ns = duration->count();
  constexpr std::int64_t k_week = 7LL * 86'400 * 1'000'000'000;
  if (ns < 0 || ns > k_week) {
    fail("parse_duration returned a duration out of [0, 1 week]", text, std::to_string(ns) + "ns");
  }
  const std::string formatted = heatmap_merge::format_duration(*duration);
  const std::optional<std::chrono::nanoseconds> again = heatmap_merge::parse_duration(formatted);
  // format_duration prints three decimals of the largest unit that fits.
  const std::int64_t tolerance = ns >= 1'000'000'000 ? 500'000 : ns >= 1'000'000 ? 500 : 1;
  if (!again || std::llabs(again->count() - ns) > tolerance) {
    fail("format_duration does not parse back",
         text,
         std::to_string(ns) + "ns formatted as \"" + formatted + "\" parses as " +
           (again ? std::to_string(again->count()) + "ns" : std::string("nothing")));
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const std::optional<Instant> instant = heatmap_merge::parse_instant(text)) {
    check_round_trip(*instant, text);
  }
  check_duration(text);

  // The same bytes as numbers: any 64-bit instant must format and parse back (check_round_trip),
  // and epoch numbers of any value must convert or be refused, never overflow.
  if (size >= sizeof(std::int64_t)) {
    std::int64_t integer = 0;
    std::memcpy(&integer, data, sizeof integer);
    check_round_trip(integer, text);
    if (const std::optional<Instant> instant = heatmap_merge::instant_from_epoch(integer)) {
      check_round_trip(*instant, text);
    }
    double real = 0;
    std::memcpy(&real, data, sizeof real);
    if (const std::optional<Instant> instant = heatmap_merge::instant_from_epoch(real)) {
      check_round_trip(*instant, text);
    }
  }
  return 0;
}
