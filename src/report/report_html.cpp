// The HTML report, write_html_report: one self-contained page, its head and style, title and
// footer here, its sections in html_tables.cpp, html_pictures.cpp and html_samples.cpp. Every
// string goes through HtmlWriter, which escapes it unless it is a Markup literal.

#include "report/html_sections.hpp"
#include "util/sql_text.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <array>
#include <ostream>
#include <string_view>

namespace heatmap_merge {

namespace {

constexpr std::array<std::string_view, 6> k_input_colours = {
  "#1f6fb4", "#e8790c", "#7b4fb0", "#8c564b", "#d4449c", "#5f6b73"};

// The CSP forbids every outside resource and every script even if something slipped through
// the escaping; the page needs nothing but its own inline style.
constexpr Markup k_head{R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
)"};

constexpr Markup k_style{R"(<style>
body { font-family: system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d2329;
       background: #fff; margin: 0; padding: 24px 32px 48px; font-size: 14px; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d8dde2; }
h3 { font-size: 15px; margin: 20px 0 8px; }
p { margin: 6px 0; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
              font-size: 13px; }
.sub { color: #5a6570; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }
.card { border: 1px solid #d8dde2; border-radius: 6px; padding: 10px 16px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.card span { color: #5a6570; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.alert { border-color: #d62728; background: #fdf1f1; }
.card.warn { border-color: #e8a10c; background: #fff8e6; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e9ec; text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #c9d0d6; }
tr.in-outage td { background: #fbe9e9; }
td.path { word-break: break-all; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
          vertical-align: -1px; margin-right: 6px; }
.line-swatch { display: inline-block; width: 22px; height: 0; vertical-align: 3px;
               margin-right: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 4px 0 0; font-size: 13px; }
.legend span { word-break: break-all; }
figure { margin: 0; }
.chart { border: 1px solid #e6e9ec; border-radius: 6px; padding: 8px 8px 10px; }
.chart svg { display: block; width: 100%; height: auto; }
.heat { display: flex; flex-wrap: wrap; gap: 24px; }
.heat figure { width: 220px; }
.heat svg { display: block; width: 220px; height: 220px; }
.heat figcaption { font-size: 13px; margin-top: 6px; word-break: break-all; }
.hours { display: flex; flex-wrap: wrap; gap: 8px 40px; align-items: flex-start; }
.bar { display: inline-block; height: 10px; background: #1f6fb4; vertical-align: middle; }
.barcell { width: 220px; }
.note { color: #5a6570; font-size: 13px; }
.warning { border-left: 4px solid #e8a10c; background: #fff8e6; padding: 8px 12px; margin: 16px 0; }
.samples { font-size: 12px; }
.samples th { font-weight: 600; }
.samples .v { overflow-wrap: anywhere; min-width: 120px; max-width: 320px; white-space: normal; }
.samples th.v { font-weight: 400; }
.samples tr.diff th, .samples tr.diff td { background: #fff1c2; font-weight: 600; }
.conflicts { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
.footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid #d8dde2; }
</style>
)"};

// What was (or would be) written: added columns, the new rows' ids or the in-place summary.
void write_outcome(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  for (std::size_t i = 0; i < result.layout.added_columns.size(); ++i) {
    html.print("<p>Column added: <code>{}</code> (only in <code>{}</code>)</p>\n",
               quote_identifier(result.layout.added_columns[i].name),
               display(result.inputs[result.layout.added_from[i]]));
  }
  if (model.totals.added == 0) {
    html.print("<p>Nothing to add: every secondary row is already in the primary.</p>\n");
  } else if (result.in_place_summary) {
    const InPlaceSummary& in_place = *result.in_place_summary;
    html.print("<p>Backup: <code>{}</code></p>\n", display(in_place.backup));
    html.print("<p>Added {} to <code>{}</code> in place, in {} (the longest {:.0f} ms).</p>\n",
               counted(in_place.inserted, "row"),
               display(result.inputs.front()),
               counted(in_place.transactions, "transaction"),
               in_place.longest_transaction_seconds * 1000);
    if (in_place.already_there > 0) {
      html.print("<p>{} had meanwhile reached the primary and {} not added again.</p>\n",
                 counted(in_place.already_there, "planned row"),
                 in_place.already_there == 1 ? "was" : "were");
    }
  } else {
    html.print("<p>{} {} with {}.</p>\n",
               result.dry_run ? "Would add" : "Added",
               counted(model.totals.added, "row"),
               model.totals.added == 1
                 ? fmt::format("id {}", result.plan.first_new_id)
                 : fmt::format("ids {} to {}",
                               result.plan.first_new_id,
                               result.plan.first_new_id + model.totals.added - 1));
  }
}

void write_footer(HtmlWriter& html, const ReportModel& model) {
  const MergeResult& result = model.result;
  html.print("<div class=\"footer\">\n");
  write_outcome(html, model);
  if (result.dry_run) {
    html.print("<p><b>Dry run: nothing written.</b></p>\n");
  } else if (result.output) {
    html.print("<p>Wrote <code>{}</code>.</p>\n", display(*result.output));
  }
  html.print("<p class=\"note\">Took {:.2f} s. Times are UTC.</p>\n</div>\n",
             result.elapsed.count());
}

std::string_view report_title(const MergeResult& result) {
  return result.dry_run ? "heatmap-merge dry run" : "heatmap-merge merge";
}

// The report's heading, naming its inputs.
void write_title(HtmlWriter& html, const ReportModel& model, bool nested) {
  const MergeResult& result = model.result;
  const std::string_view level = nested ? "h2" : "h1";
  html.print("<{}>{}", level, report_title(result));
  if (nested) {
    html.print(": <code>{}</code>", display(result.inputs.front()));
  }
  html.print(
    "</{}>\n<p class=\"sub\">Primary <code>{}</code>", level, display(result.inputs.front()));
  for (std::size_t i = 1; i < result.inputs.size(); ++i) {
    html.print("{} <code>{}</code>", i == 1 ? "; secondary" : ",", display(result.inputs[i]));
  }
  html.print("</p>\n");
}

} // namespace

std::string_view input_colour(std::size_t input) {
  return k_input_colours[input % k_input_colours.size()];
}

void write_label(HtmlWriter& html, const ReportModel& model, std::size_t input) {
  if (model.labels == role_labels(model.labels.size())) {
    html.print("{}", model.labels[input]);
  } else {
    html.print("<code>{}</code> ({})", terminal_safe(model.labels[input]), input_role(input));
  }
}

void write_html_start(std::ostream& out,
                      std::string_view title,
                      const std::filesystem::path& file) {
  HtmlWriter html(out);
  html.write(k_head);
  html.print("<title>{}: {}</title>\n", title, display(file));
  html.write(k_style);
  html.print("</head>\n<body>\n<main>\n");
}

void write_html_body(std::ostream& out, const ReportModel& model, bool nested) {
  HtmlWriter html(out);
  if (nested) {
    html.print("<section>\n");
  }
  write_title(html, model, nested);
  write_cards(html, model);
  if (model.totals.conflicts > 0) {
    html.print("<p class=\"warning\">Conflicts: {} whose other columns differ from the row "
               "kept; {}.</p>\n",
               counted(model.totals.conflicts, "duplicate"),
               conflict_winner(model.totals));
  }
  for (const SwapSuspicion& suspicion : model.result.swap_suspicions) {
    html.print("<p class=\"warning\">Warning: {}.</p>\n",
               swap_warning(model.result, suspicion, display));
  }
  if (!model.result.triggers.empty()) {
    html.print("<p class=\"warning\">Warning: {}.</p>\n", trigger_warning(model.result, display));
  }
  write_inputs(html, model);
  write_timeline(html, model);
  write_outages(html, model);
  write_hours(html, model);
  write_pages(html, model);
  write_heat(html, model);
  write_window(html, model);
  if (model.result.replay_window.count() > 0) {
    write_replays(html, model);
  }
  write_samples(html, model);
  write_footer(html, model);
  if (nested) {
    html.print("</section>\n");
  }
}

void write_html_end(std::ostream& out) {
  out << "</main>\n</body>\n</html>\n";
}

void write_html_report(std::ostream& out, const ReportModel& model) {
  write_html_start(out, report_title(model.result), model.result.inputs.front());
  write_html_body(out, model, false);
  write_html_end(out);
}

} // namespace heatmap_merge
