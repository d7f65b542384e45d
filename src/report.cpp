#include "heatmap_merge/report.hpp"

#include "heatmap_merge/options.hpp"
#include "report_model.hpp"

#include <cstdlib>
#include <unistd.h>

namespace heatmap_merge {

bool colour_wanted() {
  return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
}

void write_report(std::ostream& out, const MergeResult& result, const Options& options) {
  const ReportModel model = make_report_model(result);
  switch (options.format) {
  case ReportFormat::json:
    write_json_report(out, model);
    break;
  case ReportFormat::markdown:
    write_markdown_report(out, model);
    break;
  case ReportFormat::html:
    write_html_report(out, model);
    break;
  case ReportFormat::text:
    write_text_report(out, model, colour_wanted());
    break;
  }
}

} // namespace heatmap_merge
