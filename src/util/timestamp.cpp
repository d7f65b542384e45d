// Instants (timestamp.hpp): the time column's ISO 8601 text and epoch numbers read into
// nanoseconds since 1970, UTC, on the key scans' hot path, and written back for the reports.
#include "util/timestamp.hpp"
#include "util/units.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace heatmap_merge {

namespace {

// Wide enough for any date-time's nanoseconds before the range check.
__extension__ using Wide = __int128;

// Epoch numbers at least this large are milliseconds, not seconds.
constexpr double k_millisecond_threshold = 1e11;

// The seconds since midnight of a clock time.
constexpr std::int64_t clock_seconds(std::int64_t hour, std::int64_t minute, std::int64_t second) {
  return hour * k_seconds_per_hour + minute * k_seconds_per_minute + second;
}

// Reads `count` decimal digits at `pos`; false if any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) {
    return false;
  }
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  return true;
}

// The largest int64 is no instant: it is k_text_instant (plan/timeline.hpp), the instant of a row
// whose time is text, and a row of 2262-04-11T23:47:16.854775807Z would be taken for one.
std::optional<Instant> checked(Wide nanoseconds) {
  if (nanoseconds >= std::numeric_limits<Instant>::max() ||
      nanoseconds < std::numeric_limits<Instant>::min()) {
    return std::nullopt;
  }
  return static_cast<Instant>(nanoseconds);
}

// Days since the epoch of a "YYYY-MM-DD" prefix, or nothing.
std::optional<std::int64_t> parse_date(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!read_digits(text, 0, 4, year) || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

// A table is read in time order, so consecutive times mostly share their date: each scanning
// thread remembers the last date it parsed.
struct LastDate {
  std::array<char, 10> text{};
  std::int64_t days = 0;
  bool known = false;
};
thread_local LastDate t_last_date;

// The service's own format, "2026-02-18 10:00:03.123456" (or with a T, or no fraction), without
// bounds checks at every digit (20 ms less CPU for the 1.6M rows of the benchmark). False for
// anything else, and for what the general parser must decide (a leap second), which then runs.
bool parse_clock_fast(std::string_view text, std::int64_t& nanoseconds) {
  const std::size_t size = text.size();
  if (size != 19 && (size < 21 || size > 29)) {
    return false;
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
  // A character below '0' wraps around to a large number, so one comparison checks a digit.
  const auto digit = [p](std::size_t i) { return static_cast<unsigned>(p[i]) - '0'; };
  if (!(p[10] == ' ' || p[10] == 'T' || p[10] == 't') || p[13] != ':' || p[16] != ':' ||
      digit(11) > 9 || digit(12) > 9 || digit(14) > 9 || digit(15) > 9 || digit(17) > 9 ||
      digit(18) > 9) {
    return false;
  }
  const unsigned hour = digit(11) * 10 + digit(12);
  const unsigned minute = digit(14) * 10 + digit(15);
  const unsigned second = digit(17) * 10 + digit(18);
  if (hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  std::int64_t fraction = 0;
  if (size > 19) {
    if (p[19] != '.' && p[19] != ',') {
      return false;
    }
    for (std::size_t i = 20; i < size; ++i) {
      if (digit(i) > 9) {
        return false;
      }
      fraction = fraction * 10 + digit(i);
    }
    constexpr std::array<std::int64_t, 10> k_scale{
      1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000, 1'000'000'000};
    fraction *= k_scale[29 - size];
  }
  nanoseconds = clock_seconds(hour, minute, second) * k_ns_per_second + fraction;
  return true;
}

// Days whose every instant fits an Instant, with room to add a day's nanoseconds.
constexpr std::int64_t k_fast_days = 106'000;

// The days since the epoch of the date that `text` starts with (10 characters, checked by the
// caller); the last date parsed is kept, since the rows of a table share few dates.
std::optional<std::int64_t> cached_days(std::string_view text) {
  constexpr std::size_t k_date_length = 10;
  LastDate& last = t_last_date;
  if (last.known && std::memcmp(text.data(), last.text.data(), k_date_length) == 0) {
    return last.days;
  }
  const std::optional<std::int64_t> parsed = parse_date(text);
  if (parsed) {
    std::memcpy(last.text.data(), text.data(), k_date_length);
    last.days = *parsed;
    last.known = true;
  }
  return parsed;
}

// The time of day at `pos` (the separator after the date): "Thh:mm", then ":ss" and a fraction
// if there are; nanoseconds into the day, `pos` moved past it.
std::optional<std::int64_t> read_clock(std::string_view text, std::size_t& pos) {
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') {
    return std::nullopt;
  }
  ++pos;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_digits(text, pos, 2, hour) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
      !read_digits(text, pos + 3, 2, minute) || hour > 23 || minute > 59) {
    return std::nullopt;
  }
  pos += 5;
  std::int64_t fraction = 0;
  if (pos < text.size() && text[pos] == ':') {
    // A leap second (60) is accepted and lands on the next minute's first second.
    if (!read_digits(text, pos + 1, 2, second) || second > 60) {
      return std::nullopt;
    }
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      const std::size_t start = pos;
      std::int64_t scale = k_ns_per_second;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        // Digits past nanoseconds are read and ignored.
        if (scale > 1) {
          scale /= 10;
          fraction += (text[pos] - '0') * scale;
        }
        ++pos;
      }
      if (pos == start) {
        return std::nullopt;
      }
    }
  }
  return clock_seconds(hour, minute, second) * k_ns_per_second + fraction;
}

// What ends the text at `pos`: nothing or "Z" (UTC), or an offset "+hh", "+hhmm", "+hh:mm";
// the nanoseconds it is ahead of UTC.
std::optional<std::int64_t> read_offset(std::string_view text, std::size_t pos) {
  if (pos == text.size() || ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size())) {
    return 0;
  }
  if (text[pos] != '+' && text[pos] != '-') {
    return std::nullopt;
  }
  const int sign = text[pos] == '+' ? 1 : -1;
  int offset_hours = 0;
  int offset_minutes = 0;
  if (!read_digits(text, pos + 1, 2, offset_hours)) {
    return std::nullopt;
  }
  pos += 3;
  // "+02:" is not an offset: a colon must be followed by the minutes.
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (pos == text.size()) {
      return std::nullopt;
    }
  }
  if (pos < text.size()) {
    if (!read_digits(text, pos, 2, offset_minutes)) {
      return std::nullopt;
    }
    pos += 2;
  }
  if (pos != text.size() || offset_hours > 23 || offset_minutes > 59) {
    return std::nullopt;
  }
  return sign * clock_seconds(offset_hours, offset_minutes, 0) * k_ns_per_second;
}

// ISO 8601 as SQLite and the service write it: a date, an optional time with a fraction and an
// offset.
std::optional<Instant> parse_iso(std::string_view text) {
  constexpr std::size_t k_date_length = 10;
  if (text.size() < k_date_length) {
    return std::nullopt;
  }
  const std::optional<std::int64_t> days = cached_days(text);
  if (!days) {
    return std::nullopt;
  }
  std::int64_t in_day = 0;
  if (*days > -k_fast_days && *days < k_fast_days && parse_clock_fast(text, in_day)) {
    return *days * k_ns_per_day + in_day;
  }
  Wide total = static_cast<Wide>(*days) * k_ns_per_day;
  std::size_t pos = k_date_length;
  if (pos == text.size()) {
    return checked(total);
  }
  const std::optional<std::int64_t> clock = read_clock(text, pos);
  if (!clock) {
    return std::nullopt;
  }
  // 12:00+02:00 is 10:00 UTC.
  const std::optional<std::int64_t> offset = read_offset(text, pos);
  if (!offset) {
    return std::nullopt;
  }
  return checked(total + *clock - *offset);
}

std::optional<Instant> parse_epoch_text(std::string_view text) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const char lead = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  if ((lead < '0' || lead > '9') && lead != '.') {
    return std::nullopt;
  }
  std::int64_t integer = 0;
  const std::from_chars_result as_integer = std::from_chars(first, last, integer);
  if (as_integer.ec == std::errc() && as_integer.ptr == last) {
    return instant_from_epoch(integer);
  }
  double real = 0;
  const std::from_chars_result as_real =
    std::from_chars(first, last, real, std::chars_format::fixed | std::chars_format::scientific);
  if (as_real.ec == std::errc() && as_real.ptr == last) {
    return instant_from_epoch(real);
  }
  return std::nullopt;
}

} // namespace

std::optional<Instant> parse_instant(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  if (text.size() >= 10 && text[4] == '-' && text[7] == '-') {
    return parse_iso(text);
  }
  return parse_epoch_text(text);
}

std::optional<Instant> instant_from_epoch(std::int64_t value) {
  const bool milliseconds = value >= 100'000'000'000 || value <= -100'000'000'000;
  return checked(static_cast<Wide>(value) *
                 (milliseconds ? k_ns_per_millisecond : k_ns_per_second));
}

std::optional<Instant> instant_from_epoch(double value) {
  if (!std::isfinite(value)) {
    return std::nullopt;
  }
  // Stored reals are rounded to microseconds so that 1771408803.1 meets "...:03.1".
  const double microseconds =
    std::round(std::fabs(value) >= k_millisecond_threshold ? value * 1e3 : value * 1e6);
  // Past 9.3e15 microseconds no instant; below, the integer conversion is exact and the
  // product is checked, so that the last year before 2262-04-11 is instants as in text.
  if (std::fabs(microseconds) >= 9.3e15) {
    return std::nullopt;
  }
  return checked(static_cast<Wide>(static_cast<std::int64_t>(microseconds)) * 1000);
}

std::string format_instant(Instant instant) {
  // The time of day by floor_mod, not instant - days * k_ns_per_day, which overflows in the
  // range's first day.
  const std::int64_t days = floor_div(instant, k_ns_per_day);
  const std::int64_t in_day = floor_mod(instant, k_ns_per_day);
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  const std::int64_t seconds = in_day / k_ns_per_second;
  std::int64_t fraction = in_day % k_ns_per_second;
  std::string result = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                                   static_cast<int>(date.year()),
                                   static_cast<unsigned>(date.month()),
                                   static_cast<unsigned>(date.day()),
                                   seconds / k_seconds_per_hour,
                                   seconds % k_seconds_per_hour / k_seconds_per_minute,
                                   seconds % k_seconds_per_minute);
  if (fraction != 0) {
    int digits = 9;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    result += fmt::format(".{:0{}}", fraction, digits);
  }
  result += 'Z';
  return result;
}

} // namespace heatmap_merge
