// SQL literals (sql_literal.hpp): reals in the shortest text that SQLite reads back bit for bit,
// or an exact binary form; text that is not printable UTF-8, and BLOBs, as hex.
#include "util/sql_literal.hpp"

#include "util/terminal_text.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace heatmap_merge {

namespace {

void append_hex(std::string& text, const unsigned char* bytes, int size) {
  constexpr std::string_view k_digits = "0123456789ABCDEF";
  for (int i = 0; i < size; ++i) {
    text += k_digits[bytes[i] >> 4];
    text += k_digits[bytes[i] & 0x0f];
  }
}

// `value` as (CAST(significand AS REAL) / 2^62 / ... / 2^k): each step is exact in binary, so
// the shell gets the very bits whatever its text-to-real conversion does.
std::string binary_real_literal(double value) {
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(value), &exponent); // in [0.5, 1)
  const auto significand = static_cast<std::int64_t>(std::ldexp(fraction, 53));
  int shift = exponent - 53;
  std::string text = fmt::format("(CAST({}{} AS REAL)", value < 0 ? "-" : "", significand);
  while (shift != 0) {
    const int step = std::min(std::abs(shift), 62);
    text += fmt::format(" {} {}", shift < 0 ? '/' : '*', std::int64_t{1} << step);
    shift += shift < 0 ? step : -step;
  }
  return text + ")";
}

// True when SQLite reads the decimal `text` ("-921.5", "1e+16") without rounding at all: its
// digits s (trailing zeros aside, at most 15, so exact) times 10^e is an integer below 2^53, or
// s / 10^-e is a binary fraction (5^-e divides s). Both operands are then exact, and so is the
// result, however the reader computes it.
bool exact_decimal(std::string_view text, double value) {
  const std::size_t e = text.find('e');
  int exponent = e == std::string_view::npos ? 0 : std::stoi(std::string(text.substr(e + 1)));
  std::string digits;
  bool after_point = false;
  for (const char c : text.substr(0, e)) {
    if (c == '.') {
      after_point = true;
    } else if (c >= '0' && c <= '9') {
      if (!digits.empty() || c != '0') {
        digits += c;
      }
      exponent -= after_point ? 1 : 0;
    }
  }
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  if (digits.empty()) {
    return true; // zero
  }
  if (digits.size() > 15 || exponent < -22) {
    return false;
  }
  if (exponent >= 0) {
    return std::fabs(value) < 9007199254740992.0; // 2^53
  }
  std::int64_t power_of_five = 1;
  for (int i = 0; i < -exponent; ++i) {
    power_of_five *= 5;
  }
  return std::stoll(digits) % power_of_five == 0;
}

// Whether SQLite reads the decimal `text` back as `value`, bit for bit: the check quote() makes
// of its own output. Literals and CAST both go through sqlite3AtoF, so a CAST shows what the
// shell's parser will make of the literal (where the shell is a SQLite of the same reading:
// 3.43 and later read every shortest decimal exactly).
bool reads_back(const std::string& text, double value) {
  struct Reader {
    sqlite3* db = nullptr;
    sqlite3_stmt* cast = nullptr;
    Reader() {
      sqlite3_open(":memory:", &db);
      sqlite3_prepare_v2(db, "SELECT CAST(?1 AS REAL)", -1, &cast, nullptr);
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    ~Reader() {
      sqlite3_finalize(cast);
      sqlite3_close(db);
    }
  };
  thread_local Reader reader;
  if (reader.cast == nullptr) {
    return false;
  }
  sqlite3_bind_text(reader.cast, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  const bool same = sqlite3_step(reader.cast) == SQLITE_ROW &&
                    sqlite3_column_type(reader.cast, 0) == SQLITE_FLOAT &&
                    std::bit_cast<std::uint64_t>(sqlite3_column_double(reader.cast, 0)) ==
                      std::bit_cast<std::uint64_t>(value);
  sqlite3_reset(reader.cast);
  return same;
}

// `text` with ".0" where it would read as an integer.
std::string as_real(std::string text) {
  if (text.find_first_of(".en") == std::string::npos) {
    text += ".0";
  }
  return text;
}

std::string real_literal(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "9e999" : "-9e999"; // what SQLite reads as infinity
  }
  // The shortest text that reads back as the same double, as a reviewer wants to see it. SQLite
  // before 3.43 reads a decimal a unit in the last place off now and then (7.2395e-12,
  // 2.3969656880576602e+280): a decimal that needs no rounding goes as it is (921.5); another
  // only when SQLite reads it back exactly, in its shortest form or with 17 digits, as quote()
  // does; the rest in an exact binary form.
  const std::string shortest = as_real(fmt::format("{}", value));
  if (exact_decimal(shortest, value) || reads_back(shortest, value)) {
    return shortest;
  }
  const std::string long_form = as_real(fmt::format("{:.17g}", value));
  if (reads_back(long_form, value)) {
    return long_form;
  }
  return binary_real_literal(value);
}

} // namespace

std::string sql_literal(sqlite3_stmt* row, int column) {
  switch (sqlite3_column_type(row, column)) {
  case SQLITE_NULL:
    return "NULL";
  case SQLITE_INTEGER:
    return fmt::format("{}", sqlite3_column_int64(row, column));
  case SQLITE_FLOAT:
    return real_literal(sqlite3_column_double(row, column));
  case SQLITE_BLOB: {
    const unsigned char* bytes =
      static_cast<const unsigned char*>(sqlite3_column_blob(row, column));
    std::string literal = "X'";
    append_hex(literal, bytes, sqlite3_column_bytes(row, column));
    return literal + "'";
  }
  default: {
    const unsigned char* bytes = sqlite3_column_text(row, column);
    const std::string_view text(reinterpret_cast<const char*>(bytes),
                                static_cast<std::size_t>(sqlite3_column_bytes(row, column)));
    // Printable UTF-8 as quote() writes it; anything a terminal or a line reader could take for
    // something else (NUL, a newline, an escape, invalid UTF-8) as its bytes, still TEXT.
    if (terminal_safe(text, Backslash::keep) != text) {
      std::string literal = "CAST(X'";
      append_hex(literal, bytes, static_cast<int>(text.size()));
      return literal + "' AS TEXT)";
    }
    std::string literal = "'";
    for (const char c : text) {
      literal += c;
      if (c == '\'') {
        literal += '\'';
      }
    }
    return literal + "'";
  }
  }
}

} // namespace heatmap_merge
