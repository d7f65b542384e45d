// HTML escaping (html_writer.hpp): what HtmlWriter does to every string it puts in the page
// that is not Markup.

#include "report/html_writer.hpp"

namespace heatmap_merge {

std::string escape_html(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      escaped += "&amp;";
      break;
    case '<':
      escaped += "&lt;";
      break;
    case '>':
      escaped += "&gt;";
      break;
    case '"':
      escaped += "&quot;";
      break;
    case '\'':
      escaped += "&#39;";
      break;
    default:
      escaped += c;
      break;
    }
  }
  return escaped;
}

} // namespace heatmap_merge
