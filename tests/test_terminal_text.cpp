// Text for terminals (util/terminal_text.hpp): what a terminal would act on escaped, per byte or
// per code point, and names quoted as SQL does.
#include "util/terminal_text.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using heatmap_merge::Backslash;
using heatmap_merge::display_name;
using heatmap_merge::terminal_safe;

using namespace std::string_literals;

namespace {

// True when `text` holds no byte that a terminal acts on, and the escaping is done: a second
// pass (keeping backslashes, as the error messages' last pass does) changes nothing.
bool looks_safe(const std::string& text) {
  for (const char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return false;
    }
  }
  return terminal_safe(text, Backslash::keep) == text;
}

} // namespace

TEST_CASE("printable text passes unchanged") {
  CHECK(terminal_safe("") == "");
  CHECK(terminal_safe("/pricing?plan=pro&x=1 #top ~!") == "/pricing?plan=pro&x=1 #top ~!");
  CHECK(terminal_safe("Mozilla/5.0 (X11; Linux x86_64)") == "Mozilla/5.0 (X11; Linux x86_64)");
  // Two, three and four bytes, and the edges of what is valid.
  CHECK(terminal_safe("/caf\u00e9/\u65e5\u672c/\U0001f600") ==
        "/caf\u00e9/\u65e5\u672c/\U0001f600");
  CHECK(terminal_safe("\u00a0") == "\u00a0");             // no-break space, just after C1
  CHECK(terminal_safe("\xed\x9f\xbf") == "\xed\x9f\xbf"); // U+D7FF, just before the surrogates
  CHECK(terminal_safe("\xee\x80\x80") == "\xee\x80\x80"); // U+E000, just after them
  CHECK(terminal_safe("\xf4\x8f\xbf\xbf") == "\xf4\x8f\xbf\xbf"); // U+10FFFF
}

TEST_CASE("C0 controls and DEL are escaped per byte") {
  CHECK(terminal_safe("a\x1b]0;title\x07z") == "a\\x1b]0;title\\x07z");
  CHECK(terminal_safe("\x1b[2J") == "\\x1b[2J");
  CHECK(terminal_safe("line\r\nwould add 0 rows") == "line\\x0d\\x0awould add 0 rows");
  CHECK(terminal_safe("a\tb") == "a\\x09b");
  CHECK(terminal_safe("a\x7f") == "a\\x7f");
  CHECK(terminal_safe("\x01\x1f") == "\\x01\\x1f");
  CHECK(terminal_safe("a\0b"s) == "a\\x00b");
}

TEST_CASE("C1 controls are escaped per byte") {
  CHECK(terminal_safe("\u0080") == "\\xc2\\x80");
  CHECK(terminal_safe("a\u009b2Jb") == "a\\xc2\\x9b2Jb");               // CSI
  CHECK(terminal_safe("\u009d0;t\u009c") == "\\xc2\\x9d0;t\\xc2\\x9c"); // OSC ... ST
  CHECK(terminal_safe("\u009f") == "\\xc2\\x9f");
}

TEST_CASE("a backslash is escaped, so that an escape in the result is never the data's text") {
  CHECK(terminal_safe("a\\b") == "a\\\\b");
  CHECK(terminal_safe("\\x1b") == "\\\\x1b");
  CHECK(terminal_safe("\x1b") != terminal_safe("\\x1b"));
  SUBCASE("or kept, for a last pass over text already escaped") {
    CHECK(terminal_safe("a\\b\x1b", Backslash::keep) == "a\\b\\x1b");
    const std::string once = terminal_safe("C:\\x\x1b\u202e\xff");
    CHECK(terminal_safe(once, Backslash::keep) == once);
  }
}

TEST_CASE("every byte of invalid UTF-8 is escaped") {
  CHECK(terminal_safe("/ka\xf6") == "/ka\\xf6"); // Latin-1
  CHECK(terminal_safe("\x80") == "\\x80");       // a continuation byte alone
  CHECK(terminal_safe("\xbf\x80") == "\\xbf\\x80");
  CHECK(terminal_safe("\xff\xfe") == "\\xff\\xfe");
  SUBCASE("overlong forms") {
    CHECK(terminal_safe("\xc0\xaf") == "\\xc0\\xaf"); // '/'
    CHECK(terminal_safe("\xc1\xbf") == "\\xc1\\xbf");
    CHECK(terminal_safe("\xe0\x80\xaf") == "\\xe0\\x80\\xaf");
    CHECK(terminal_safe("\xf0\x80\x80\xaf") == "\\xf0\\x80\\x80\\xaf");
    CHECK(terminal_safe("\xc0\x9b") == "\\xc0\\x9b"); // ESC, overlong
  }
  SUBCASE("surrogates") {
    CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");
    CHECK(terminal_safe("\xed\xbf\xbf") == "\\xed\\xbf\\xbf");
  }
  SUBCASE("above U+10FFFF") {
    CHECK(terminal_safe("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");
    CHECK(terminal_safe("\xf5\x80\x80\x80") == "\\xf5\\x80\\x80\\x80");
  }
  SUBCASE("truncated sequences, without swallowing what follows") {
    CHECK(terminal_safe("\xe2\x82") == "\\xe2\\x82");
    CHECK(terminal_safe("\xe2\x82z") == "\\xe2\\x82z");
    CHECK(terminal_safe("\xf0\x9f\x98") == "\\xf0\\x9f\\x98");
    CHECK(terminal_safe("\xe2\x82\xe2\x82\xac") == "\\xe2\\x82\u20ac");
    CHECK(terminal_safe("\xc3\x1b[2J") == "\\xc3\\x1b[2J");
  }
}

TEST_CASE("bidirectional controls and line separators are escaped as code points") {
  // Trojan Source: an override that shows "/admin" as something else.
  CHECK(terminal_safe("/\u202enimda") == "/\\u{202e}nimda");
  CHECK(terminal_safe("\u202a\u202b\u202c\u202d") == "\\u{202a}\\u{202b}\\u{202c}\\u{202d}");
  CHECK(terminal_safe("\u2066\u2067\u2068\u2069") == "\\u{2066}\\u{2067}\\u{2068}\\u{2069}");
  CHECK(terminal_safe("\u200e\u200f\u061c") == "\\u{200e}\\u{200f}\\u{061c}");
  CHECK(terminal_safe("a\u2028b\u2029") == "a\\u{2028}b\\u{2029}");
  // Their neighbours are ordinary text.
  CHECK(terminal_safe("\u2029\u202f\u2065") == "\\u{2029}\u202f\u2065");
}

TEST_CASE("no string of up to three bytes leaves anything a terminal acts on") {
  std::string text;
  for (int a = 0; a < 256; ++a) {
    text.assign(1, static_cast<char>(a));
    REQUIRE(looks_safe(terminal_safe(text)));
    for (int b = 0; b < 256; ++b) {
      text.assign({static_cast<char>(a), static_cast<char>(b)});
      REQUIRE(looks_safe(terminal_safe(text)));
    }
  }
  // Three bytes from every lead of a multi-byte sequence.
  for (int a = 0xc0; a < 256; ++a) {
    for (int b = 0x70; b < 0xc8; ++b) {
      for (int c = 0; c < 256; ++c) {
        text.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        REQUIRE(looks_safe(terminal_safe(text)));
      }
    }
  }
}

TEST_CASE("display_name quotes a name as SQL does and escapes it") {
  CHECK(display_name("click_events") == "\"click_events\"");
  CHECK(display_name("a\"b") == "\"a\"\"b\"");
  CHECK(display_name("x\x1b[2J") == "\"x\\x1b[2J\"");
}
