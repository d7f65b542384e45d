// Text made safe for a terminal (terminal_text.hpp): UTF-8 checked sequence by sequence, control
// characters and invalid bytes escaped.

#include "util/terminal_text.hpp"

#include "util/error.hpp"
#include "util/sql_text.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <iterator>

namespace heatmap_merge {

namespace {

constexpr std::string_view k_hex_digits = "0123456789abcdef";

void append_byte_escape(std::string& out, unsigned char byte) {
  out += "\\x";
  out += k_hex_digits[byte >> 4];
  out += k_hex_digits[byte & 0xf];
}

// The length of the well-formed UTF-8 sequence that `text` starts with (Unicode's table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 when it starts with none.
std::size_t sequence_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  // The range of the second byte; the bytes after it are any continuation byte.
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead == 0xe0) {
    length = 3;
    low = 0xa0;
  } else if (lead == 0xed) {
    length = 3;
    high = 0x9f;
  } else if (lead >= 0xe1 && lead <= 0xef) {
    length = 3;
  } else if (lead == 0xf0) {
    length = 4;
    low = 0x90;
  } else if (lead >= 0xf1 && lead <= 0xf3) {
    length = 4;
  } else if (lead == 0xf4) {
    length = 4;
    high = 0x8f;
  } else {
    return 0; // a continuation byte, an overlong lead (c0, c1) or f5 to ff
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) {
      return 0;
    }
  }
  return length;
}

// The code point of a well-formed sequence of 2 to 4 bytes.
std::uint32_t decode(std::string_view sequence) {
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(sequence[i]));
  };
  // The lead byte's payload bits: 5, 4 or 3 for a sequence of 2, 3 or 4 bytes.
  std::uint32_t code_point = byte(0) & (0x7fU >> sequence.size());
  for (std::size_t i = 1; i < sequence.size(); ++i) {
    code_point = code_point << 6 | (byte(i) & 0x3f);
  }
  return code_point;
}

// Characters a terminal prints as nothing but that change what the text around them looks like:
// the bidirectional embeddings, overrides and isolates and the implicit marks, which can show
// text in another order than it is stored (Trojan Source), and the line and paragraph
// separators, which some viewers break lines at.
bool is_invisible_control(std::uint32_t code_point) {
  return (code_point >= 0x202a && code_point <= 0x202e) ||
         (code_point >= 0x2066 && code_point <= 0x2069) || code_point == 0x200e ||
         code_point == 0x200f || code_point == 0x061c || code_point == 0x2028 ||
         code_point == 0x2029;
}

} // namespace

std::string terminal_safe(std::string_view text, Backslash backslash) {
  std::string safe;
  safe.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte == '\\') {
      safe += backslash == Backslash::escape ? "\\\\" : "\\";
      ++i;
      continue;
    }
    if (byte < 0x20 || byte == 0x7f) {
      append_byte_escape(safe, byte);
      ++i;
      continue;
    }
    if (byte < 0x80) {
      safe += static_cast<char>(byte);
      ++i;
      continue;
    }
    const std::size_t length = sequence_length(text.substr(i));
    if (length == 0) {
      // Only this byte: the ones after it are looked at afresh, so a truncated sequence does not
      // swallow the valid character that follows it, and every bad byte shows.
      append_byte_escape(safe, byte);
      ++i;
      continue;
    }
    const std::string_view sequence = text.substr(i, length);
    const std::uint32_t code_point = decode(sequence);
    if (code_point >= 0x80 && code_point <= 0x9f) {
      // C1 controls: some terminals take U+009B as CSI, the start of an escape sequence.
      for (const char c : sequence) {
        append_byte_escape(safe, static_cast<unsigned char>(c));
      }
    } else if (is_invisible_control(code_point)) {
      fmt::format_to(std::back_inserter(safe), "\\u{{{:04x}}}", code_point);
    } else {
      safe += sequence;
    }
    i += length;
  }
  return safe;
}

std::string display_name(const std::string& name) {
  return terminal_safe(quote_identifier(name));
}

std::string display(const std::filesystem::path& path) {
  // A file name may hold any byte but '/' and NUL, escape sequences included.
  return terminal_safe(path.string());
}

} // namespace heatmap_merge
