#pragma once

// Writing HTML with escaping by default: every string that goes into the page is escaped unless
// it is Markup, which only a literal in the program's own source can be.

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace heatmap_merge {

// Text as HTML that can only ever be text, between tags and inside quoted attributes alike:
// & < > " and ' become entities.
std::string escape_html(std::string_view text);

// Markup this program wrote itself: tags, attributes, entities. The constructor is consteval, so
// that only a literal can be markup and text from the databases never can.
class Markup {
public:
  consteval explicit Markup(const char* markup) : m_markup(markup) {}

  constexpr std::string_view view() const {
    return m_markup;
  }

private:
  std::string_view m_markup;
};

// A string argument of HtmlWriter::print, escaped when it is formatted.
struct EscapedText {
  std::string_view text;
};

// How HtmlWriter::print passes each argument on: strings escaped, Markup as it is, numbers as
// fmt writes them (a char is text, not a number, so it has no overload and does not compile).
inline EscapedText html_argument(std::string_view text) {
  return {text};
}

inline std::string_view html_argument(Markup markup) {
  return markup.view();
}

template <typename Type>
concept HtmlNumber = std::is_arithmetic_v<Type> && !std::is_same_v<Type, char>;

template <HtmlNumber Number>
Number html_argument(Number number) {
  return number;
}

template <typename Argument>
using HtmlArgument = decltype(html_argument(std::declval<const Argument&>()));

// Writes a page to a stream. The format string of print is markup: it must be a constant (fmt
// checks it at compile time, and fmt::runtime is refused), so data can never become one. Every
// argument put into it is escaped unless it is Markup or a number.
class HtmlWriter {
public:
  explicit HtmlWriter(std::ostream& out) : m_out(out) {}

  template <typename... Arguments>
  void print(fmt::format_string<HtmlArgument<Arguments>...> format, const Arguments&... arguments) {
    fmt::print(m_out, format, html_argument(arguments)...);
  }

  template <typename... Arguments>
  void print(decltype(fmt::runtime(std::string_view())) format,
             const Arguments&... arguments) = delete;

  void write(Markup markup) {
    m_out << markup.view();
  }

private:
  std::ostream& m_out;
};

} // namespace heatmap_merge

template <>
struct fmt::formatter<heatmap_merge::EscapedText> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  typename FormatContext::iterator format(const heatmap_merge::EscapedText& text,
                                          FormatContext& context) const {
    return fmt::formatter<std::string_view>::format(heatmap_merge::escape_html(text.text), context);
  }
};
