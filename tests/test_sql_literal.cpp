// The SQL patch's literals (util/sql_literal.hpp): every value a secondary holds written as SQL
// that the sqlite3 shell reads back byte for byte, or bit for bit.
#include "util/sql_literal.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using heatmap_merge::sql_literal;

using namespace std::string_literals;

namespace {

// An in-memory database, and one value at a time as the single column of `SELECT ?1`: what
// sql_literal() reads from a secondary's row.
class Values {
public:
  Values() {
    REQUIRE(sqlite3_open(":memory:", &m_db) == SQLITE_OK);
  }
  Values(const Values&) = delete;
  Values& operator=(const Values&) = delete;
  ~Values() {
    sqlite3_close(m_db);
  }

  // The literal of the value that `bind` binds to ?1.
  template <typename Bind>
  std::string literal(Bind bind) {
    sqlite3_stmt* row = prepare("SELECT ?1");
    bind(row);
    REQUIRE(sqlite3_step(row) == SQLITE_ROW);
    std::string text = sql_literal(row, 0);
    sqlite3_finalize(row);
    return text;
  }

  // `SELECT literal`, ready to read: the value the sqlite3 shell would insert.
  sqlite3_stmt* evaluate(const std::string& literal) {
    sqlite3_stmt* row = prepare("SELECT " + literal);
    REQUIRE(sqlite3_step(row) == SQLITE_ROW);
    return row;
  }

private:
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    return statement;
  }
  sqlite3* m_db = nullptr;
};

std::string fmt_bits(double value) {
  char text[64];
  std::snprintf(text,
                sizeof text,
                "%.17g (0x%016llx)",
                value,
                static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(value)));
  return text;
}

std::string bytes_of(sqlite3_stmt* row) {
  const void* data = sqlite3_column_type(row, 0) == SQLITE_BLOB ? sqlite3_column_blob(row, 0)
                                                                : sqlite3_column_text(row, 0);
  const int size = sqlite3_column_bytes(row, 0);
  return size == 0 ? std::string() : std::string(static_cast<const char*>(data), size);
}

// The literal holds no byte that a terminal or the shell's line reader acts on.
bool printable(const std::string& literal) {
  for (const char c : literal) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || byte >= 0x80) {
      return false;
    }
  }
  return true;
}

void check_text(Values& values, const std::string& text, int type = SQLITE_TEXT) {
  const std::string literal = values.literal([&](sqlite3_stmt* row) {
    if (type == SQLITE_TEXT) {
      sqlite3_bind_text(
        row, 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT); // NOLINT
    } else {
      sqlite3_bind_blob(
        row, 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT); // NOLINT
    }
  });
  INFO("literal: ", literal);
  sqlite3_stmt* row = values.evaluate(literal);
  CHECK(sqlite3_column_type(row, 0) == type);
  CHECK(bytes_of(row) == text);
  sqlite3_finalize(row);
  // Anything but printable ASCII is spelled out, unless it is printable UTF-8 text.
  const bool plain = type == SQLITE_TEXT && literal.front() == '\'';
  if (!plain) {
    CHECK(printable(literal));
  }
}

void check_integer(Values& values, std::int64_t value) {
  const std::string literal =
    values.literal([&](sqlite3_stmt* row) { sqlite3_bind_int64(row, 1, value); });
  INFO("literal: ", literal);
  sqlite3_stmt* row = values.evaluate(literal);
  CHECK(sqlite3_column_type(row, 0) == SQLITE_INTEGER);
  CHECK(sqlite3_column_int64(row, 0) == value);
  sqlite3_finalize(row);
}

// True when the literal of `value` reads back as a real with the very same bits.
bool real_round_trips(Values& values, double value, std::string& literal) {
  literal = values.literal([&](sqlite3_stmt* row) { sqlite3_bind_double(row, 1, value); });
  sqlite3_stmt* row = values.evaluate(literal);
  const bool same = sqlite3_column_type(row, 0) == SQLITE_FLOAT &&
                    std::bit_cast<std::uint64_t>(sqlite3_column_double(row, 0)) ==
                      std::bit_cast<std::uint64_t>(value);
  sqlite3_finalize(row);
  return same;
}

void check_real(Values& values, double value) {
  std::string literal;
  const bool same = real_round_trips(values, value, literal);
  INFO("value: ", fmt_bits(value), " literal: ", literal);
  CHECK(same);
}

} // namespace

TEST_CASE("sql_literal: NULL") {
  Values values;
  const std::string literal = values.literal([](sqlite3_stmt* row) { sqlite3_bind_null(row, 1); });
  CHECK(literal == "NULL");
}

TEST_CASE("sql_literal: hostile text arrives byte for byte, as text") {
  Values values;
  const std::vector<std::string> texts = {
    "",
    "plain /pricing?plan=pro&x=1",
    "it's",
    "''",
    "'); DROP TABLE click_events; --",
    "a;b",
    "-- comment",
    "/* open comment",
    "\"double\"",
    "back\\slash",
    "nul\0inside"s,
    "\0"s,
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "\x1b]0;title\x07\x1b[2J",
    "\x7f",
    "\xc2\x9b"
    "31m", // C1 CSI
    "\xe2\x80\xae"
    "txt.exe",      // U+202E
    "\xe2\x80\xa8", // U+2028
    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
    "\xff\xfe invalid",
    "\xc3",             // truncated sequence
    "\xed\xa0\x80",     // a surrogate
    "\xf4\x90\x80\x80", // beyond U+10FFFF
    "\xc0\xaf",         // overlong
    ".bail off",
    "\n.shell echo pwned\n",
    "X'00'",
  };
  for (const std::string& text : texts) {
    check_text(values, text);
  }
  // Every single byte, and a long text.
  for (int byte = 0; byte < 256; ++byte) {
    check_text(values, std::string(1, static_cast<char>(byte)) + "x'");
  }
  check_text(values, std::string(100000, '\''));
}

TEST_CASE("sql_literal: blobs arrive byte for byte, as blobs") {
  Values values;
  check_text(values, "", SQLITE_BLOB);
  check_text(values, "\0"s, SQLITE_BLOB);
  check_text(values, "text-like", SQLITE_BLOB);
  std::string all;
  for (int byte = 0; byte < 256; ++byte) {
    all += static_cast<char>(byte);
  }
  check_text(values, all, SQLITE_BLOB);
}

TEST_CASE("sql_literal: integers, the extremes included") {
  Values values;
  for (const std::int64_t value : {std::int64_t{0},
                                   std::int64_t{1},
                                   std::int64_t{-1},
                                   std::int64_t{1920},
                                   std::int64_t{9007199254740993},
                                   std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::max() - 1,
                                   std::numeric_limits<std::int64_t>::min(),
                                   std::numeric_limits<std::int64_t>::min() + 1}) {
    check_integer(values, value);
  }
  std::mt19937_64 random(17);
  for (int i = 0; i < 2000; ++i) {
    check_integer(values, static_cast<std::int64_t>(random()));
  }
}

TEST_CASE("sql_literal: reals read back bit for bit") {
  Values values;
  const double max = std::numeric_limits<double>::max();
  const double tiny = std::numeric_limits<double>::denorm_min();
  for (const double value : {0.0,
                             -0.0,
                             1.0,
                             -1.0,
                             0.1,
                             0.2,
                             1.0 / 3,
                             720.0,
                             921.5,
                             1e308,
                             -1e308,
                             max,
                             -max,
                             std::numeric_limits<double>::min(),
                             tiny,
                             -tiny,
                             2 * tiny,
                             std::numeric_limits<double>::min() - tiny, // the largest subnormal
                             std::numeric_limits<double>::epsilon(),
                             1e15,
                             1e16,
                             1e17,
                             9007199254740993.0,
                             9223372036854775807.0, // 2^63: not an integer literal
                             -9223372036854775808.0,
                             1e19,
                             123456789012345678901234567890.0,
                             5e-324,
                             2.2250738585072011e-308,
                             1.7976931348623157e308,
                             0.30000000000000004,
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()}) {
    check_real(values, value);
  }
}

TEST_CASE("sql_literal: random reals read back bit for bit, subnormals included") {
  Values values;
  std::mt19937_64 random(17);
  int failures = 0;
  std::string first_failure;
  auto check = [&](double value) {
    std::string literal;
    if (!std::isnan(value) && !real_round_trips(values, value, literal)) {
      if (failures++ == 0) {
        first_failure = fmt_bits(value) + " as " + literal;
      }
    }
  };
  for (int i = 0; i < 20000; ++i) {
    // Any bit pattern: every exponent equally likely, the subnormals among them.
    check(std::bit_cast<double>(random()));
    // Subnormals only.
    check(std::bit_cast<double>(random() & ((std::uint64_t{1} << 52) - 1)));
    // Values like the service's coordinates and times: a few decimals.
    check(static_cast<double>(random() % 100000000) / 1000);
    check(std::uniform_real_distribution<double>(-1e6, 1e6)(random));
    // Short decimals at any scale: up to 15 digits times a power of ten.
    const double digits = static_cast<double>(random() % 1000000000000000);
    check(digits * std::pow(10.0, static_cast<int>(random() % 100) - 50));
    check(std::stod(std::to_string(random() % 100000) + "e" +
                    std::to_string(static_cast<int>(random() % 60) - 30)));
  }
  INFO("first failure: ", first_failure);
  CHECK(failures == 0);
}
