// The report of --peers (a dry run or --in-place, one merge per node): what each node lacks or
// was given, then each node's own report, in the format asked for (report.hpp).

#include "report/report.hpp"

#include "report/html_writer.hpp"
#include "report/merge_result.hpp"
#include "report/report_model.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <ostream>

namespace heatmap_merge {

namespace {

// "lacks" in a dry run, "was given" after --in-place: a node's rows added by its own merge.
std::string_view verb(const MergeResult& result) {
  return result.dry_run ? "lacks" : "was given";
}

void write_peers_text(std::ostream& out,
                      const std::vector<MergeResult>& results,
                      const std::vector<ReportModel>& models) {
  fmt::print(out,
             "peers: {} nodes{}; each node's merge with the others follows\n",
             results.size(),
             results.front().dry_run ? " (dry run)" : "");
  for (const MergeResult& result : results) {
    fmt::print(out,
               "  {} {} {}\n",
               display(result.inputs.front()),
               verb(result),
               counted(rows_added(result), "row"));
  }
  for (std::size_t node = 0; node < models.size(); ++node) {
    fmt::print(out,
               "\n== node {} of {}: {} ==\n",
               node + 1,
               models.size(),
               display(results[node].inputs.front()));
    write_text_report(out, models[node], colour_wanted());
  }
}

void write_peers_markdown(std::ostream& out,
                          const std::vector<MergeResult>& results,
                          const std::vector<ReportModel>& models) {
  fmt::print(out, "# heatmap-merge peers{}\n\n", results.front().dry_run ? ", dry run" : "");
  for (const MergeResult& result : results) {
    fmt::print(out,
               "- {} {} {}\n",
               code_span(result.inputs.front().string()),
               verb(result),
               counted(rows_added(result), "row"));
  }
  for (const ReportModel& model : models) {
    out << '\n';
    write_markdown_report(out, model);
  }
}

void write_peers_html(std::ostream& out,
                      const std::vector<MergeResult>& results,
                      const std::vector<ReportModel>& models) {
  const std::string title =
    results.front().dry_run ? "heatmap-merge peers, dry run" : "heatmap-merge peers";
  write_html_start(out, title, results.front().inputs.front());
  HtmlWriter html(out);
  html.print("<h1>{}</h1>\n<ul>\n", title);
  for (const MergeResult& result : results) {
    html.print("<li><code>{}</code> {} {}</li>\n",
               display(result.inputs.front()),
               std::string(verb(result)),
               counted(rows_added(result), "row"));
  }
  out << "</ul>\n";
  for (const ReportModel& model : models) {
    write_html_body(out, model, true);
  }
  write_html_end(out);
}

void write_peers_json(std::ostream& out,
                      const std::vector<MergeResult>& results,
                      const std::vector<ReportModel>& models) {
  nlohmann::json nodes = nlohmann::json::array();
  std::int64_t added = 0;
  for (std::size_t node = 0; node < results.size(); ++node) {
    added += rows_added(results[node]);
    nodes.push_back({{"node", results[node].inputs.front().string()},
                     {"rows_added", rows_added(results[node])},
                     {"report", json_report(models[node])}});
  }
  write_json(out,
             {{"format_version", 1},
              {"peers", true},
              {"dry_run", results.front().dry_run},
              {"rows_added", added},
              {"nodes", nodes}});
}

void render_peers(std::ostream& out,
                  const std::vector<MergeResult>& results,
                  const Options& options) {
  std::vector<ReportModel> models;
  for (const MergeResult& result : results) {
    models.push_back(make_report_model(result));
  }
  errno = 0; // stdout_error's cause
  switch (options.format) {
  case ReportFormat::json:
    write_peers_json(out, results, models);
    break;
  case ReportFormat::markdown:
    write_peers_markdown(out, results, models);
    break;
  case ReportFormat::html:
    write_peers_html(out, results, models);
    break;
  case ReportFormat::text:
    write_peers_text(out, results, models);
    break;
  case ReportFormat::summary:
    for (const ReportModel& model : models) {
      write_summary_report(out, model);
    }
    break;
  case ReportFormat::sql:
    break; // refused with --peers (cli/command_line.cpp)
  }
  out.flush();
  if (!out) {
    throw stdout_error("the report");
  }
}

} // namespace

void write_peers_report(std::ostream& out,
                        const std::vector<MergeResult>& results,
                        const Options& options) {
  std::string written;
  if (!results.front().dry_run) {
    for (const MergeResult& result : results) {
      written += fmt::format("{}{} to {}",
                             written.empty() ? "added " : ", ",
                             counted(rows_added(result), "row"),
                             display(result.inputs.front()));
    }
    written += ", but the report failed: ";
  }
  render_after_writing(written, [&]() { render_peers(out, results, options); });
}

} // namespace heatmap_merge
