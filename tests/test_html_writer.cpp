// HtmlWriter (report/html_writer.hpp): every string argument escaped, markup written as it is.
#include "report/html_writer.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using namespace heatmap_merge;

TEST_CASE("HtmlWriter escapes every string argument and writes markup as it is") {
  std::ostringstream out;
  HtmlWriter html(out);
  const std::string hostile = "<script>alert('x')</script> & \"q\"";
  html.print("<td class=\"{}\">{}</td>", "a&b", hostile);
  html.print("<tr{}>{} {:.1f}|", Markup(" class=\"diff\""), 42, 1.25);
  html.write(Markup("<br>\n"));
  CHECK(out.str() == "<td class=\"a&amp;b\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                     "&quot;q&quot;</td><tr class=\"diff\">42 1.2|<br>\n");
  CHECK(escape_html("plain /p/1?x=1") == "plain /p/1?x=1");
  CHECK(escape_html("") == "");
}
