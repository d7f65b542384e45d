#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heatmap_merge {

// An instant: nanoseconds since the Unix epoch, UTC. Years 1678 to 2261 fit.
using Instant = std::int64_t;

// Parses an ISO 8601 date-time ("2026-02-18T10:00:03.5Z", "2026-02-18 10:00:03.500000",
// "2026-02-18T12:00:03+02:00"; no offset means UTC) or a decimal Unix epoch number in the text.
// Returns nothing for anything else, which the caller then compares as text.
std::optional<Instant> parse_instant(std::string_view text);

// A Unix epoch number stored as a number: seconds, or milliseconds when its magnitude is at
// least 1e11 (1e11 seconds is the year 5138, 1e11 milliseconds is 1973).
std::optional<Instant> instant_from_epoch(std::int64_t value);
std::optional<Instant> instant_from_epoch(double value);

// "2026-02-18T10:00:03.5Z": ISO 8601 in UTC, with the fraction only as long as it needs.
std::string format_instant(Instant instant);

// Parses "0", "1500ms", "2s", "0.5s", "1m", "250us", "10ns". Returns nothing when invalid,
// negative, or finer than a nanosecond ("2.5ns", "0.0000000001s": times have nanoseconds).
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);

// Whether a decimal `number` ("2.5", "0.25") of a unit `unit_ns` nanoseconds long is a whole
// number of nanoseconds.
bool whole_nanoseconds(std::string_view number, std::int64_t unit_ns);

// "1.5s", "250ms", "0s": a duration as people read it.
std::string format_duration(std::chrono::nanoseconds duration);

// A duration in the unit it was most likely given in: "2m" for 120 s, "1h", "90m", "1.5s",
// "500ms" (format_duration below a minute or for a fraction of one). parse_duration reads it back.
std::string readable_duration(std::chrono::nanoseconds duration);

} // namespace heatmap_merge
