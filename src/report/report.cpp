// The report layer's entry, write_report: the model (report_model.hpp) rendered in the format
// the options ask for; and the inputs' labels and the text widths that every format lays out.

#include "report/report.hpp"
#include "util/units.hpp"

#include "report/merge_result.hpp"
#include "report/report_model.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/terminal_text.hpp"
#include "util/text.hpp"
#include "util/timestamp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>
#include <unistd.h>

namespace heatmap_merge {

namespace {

constexpr std::string_view k_ellipsis = "…";

bool continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

// The byte offset after the first `count` code points of `text` (its size if it has fewer).
std::size_t code_points_end(std::string_view text, std::size_t count) {
  std::size_t at = 0;
  for (std::size_t seen = 0; at < text.size() && seen < count; ++seen) {
    ++at;
    while (at < text.size() && continuation_byte(text[at])) {
      ++at;
    }
  }
  return at;
}

// The first `count` and the last `count` code points of `text`.
std::string_view head(std::string_view text, std::size_t count) {
  return text.substr(0, code_points_end(text, count));
}

std::string_view tail(std::string_view text, std::size_t count) {
  const std::size_t width = text_width(text);
  return text.substr(code_points_end(text, width > count ? width - count : 0));
}

bool all_different(const std::vector<std::string>& labels) {
  return std::set<std::string>(labels.begin(), labels.end()).size() == labels.size();
}

// The last `parts` parts of `parts_of` joined as a path ("gcp/heatmap.db", "/srv/a.db").
std::string trailing_parts(const std::vector<std::filesystem::path>& parts_of, std::size_t parts) {
  std::filesystem::path joined;
  for (std::size_t i = parts_of.size() - parts; i < parts_of.size(); ++i) {
    joined /= parts_of[i];
  }
  return joined.string();
}

} // namespace

bool colour_wanted() {
  return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
}

namespace {

void render_report(std::ostream& out, const MergeResult& result, const Options& options) {
  const ReportModel model = make_report_model(result);
  errno = 0; // stdout_error's cause
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
  case ReportFormat::summary:
    write_summary_report(out, model);
    break;
  case ReportFormat::sql:
    break; // the patch was the run's output (write/sql_patch.hpp): the report adds nothing to it
  }
  out.flush();
  if (!out) {
    throw stdout_error("the report");
  }
}

} // namespace

void write_report(std::ostream& out, const MergeResult& result, const Options& options) {
  // The rows are written (committed, with --in-place) before the report: its failure must not
  // read as a failed merge, nor make a rerun look needed.
  const std::string written =
    result.dry_run
      ? std::string()
      : fmt::format("merged {} into {}, but the report failed: ",
                    counted(rows_added(result), "row"),
                    display(result.in_place ? result.inputs.front() : result.output.value_or("")));
  render_after_writing(written, [&]() { render_report(out, result, options); });
}

void render_after_writing(const std::string& written, const std::function<void()>& render) {
  try {
    render();
  } catch (const Error& error) {
    if (written.empty()) {
      throw;
    }
    throw Error(error.code(), written + error.what());
  } catch (const std::exception& error) {
    if (written.empty()) {
      throw;
    }
    throw Error(ExitCode::software, written + "internal error: " + error.what());
  }
}

std::vector<std::string> role_labels(std::size_t inputs) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < inputs; ++i) {
    labels.push_back(i == 0 ? "primary" : i == 1 ? "secondary" : fmt::format("secondary {}", i));
  }
  return labels;
}

std::vector<std::string> input_labels(const std::vector<std::filesystem::path>& inputs) {
  // Each path's parts as typed, without the "." and empty ones that say nothing about the file.
  // ".." stays: through a symbolic link, "link/../a.db" need not be "a.db".
  std::vector<std::vector<std::filesystem::path>> parts(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (const std::filesystem::path& part : inputs[i]) {
      if (!part.empty() && part != ".") {
        parts[i].push_back(part);
      }
    }
    if (parts[i].empty()) {
      return role_labels(inputs.size());
    }
  }
  // Start from the file names; every label that another one equals takes one more part, until
  // all differ or two that are alike have no part left to take.
  std::vector<std::size_t> taken(inputs.size(), 1);
  for (;;) {
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      labels.push_back(trailing_parts(parts[i], taken[i]));
    }
    bool grew = false;
    bool alike = false;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      for (std::size_t j = 0; j < inputs.size(); ++j) {
        if (i != j && labels[i] == labels[j]) {
          alike = true;
          if (taken[i] < parts[i].size()) {
            ++taken[i];
            grew = true;
            break;
          }
        }
      }
    }
    if (!alike) {
      return labels;
    }
    if (!grew) {
      return role_labels(inputs.size());
    }
  }
}

std::size_t text_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\033' && i + 1 < text.size() && text[i + 1] == '[') {
      // A CSI sequence ends at its final byte, @ to ~.
      i += 2;
      while (i < text.size() && (text[i] < '@' || text[i] > '~')) {
        ++i;
      }
      continue;
    }
    if (!continuation_byte(text[i])) {
      ++width;
    }
  }
  return width;
}

std::vector<std::string> fit_labels(const std::vector<std::string>& labels, std::size_t width) {
  const bool too_wide = std::any_of(labels.begin(), labels.end(), [&](const std::string& label) {
    return text_width(label) > width;
  });
  if (!too_wide || width < 4) {
    return labels;
  }
  const std::size_t kept = width - 1; // code points beside the ellipsis
  // How many code points of the start to keep: none first (file names differ most at their
  // end), then half, then any other split.
  std::vector<std::size_t> heads = {0, kept / 2};
  for (std::size_t n = 1; n < kept; ++n) {
    if (n != kept / 2) {
      heads.push_back(n);
    }
  }
  for (const std::size_t head_points : heads) {
    std::vector<std::string> fitted;
    for (const std::string& label : labels) {
      if (text_width(label) <= width) {
        fitted.push_back(label);
      } else {
        fitted.push_back(fmt::format(
          "{}{}{}", head(label, head_points), k_ellipsis, tail(label, kept - head_points)));
      }
    }
    if (all_different(fitted)) {
      return fitted;
    }
  }
  return labels;
}

std::vector<std::string> wrap_text(std::string_view text, std::size_t width, std::size_t indent) {
  std::vector<std::string> lines;
  const std::size_t lead = std::min(text.find_first_not_of(' '), text.size());
  std::string line(text.substr(0, lead));
  std::size_t line_width = lead;
  bool has_word = false;
  std::size_t at = lead;
  while (at < text.size()) {
    const std::size_t word_start = std::min(text.find_first_not_of(' ', at), text.size());
    const std::size_t word_end = std::min(text.find(' ', word_start), text.size());
    const std::string_view spaces = text.substr(at, word_start - at);
    std::string_view word = text.substr(word_start, word_end - word_start);
    at = word_end;
    if (word.empty()) {
      break; // trailing spaces
    }
    const std::size_t word_width = text_width(word);
    if (has_word && line_width + spaces.size() + word_width > width) {
      lines.push_back(line);
      line.assign(indent, ' ');
      line_width = indent;
      has_word = false;
    }
    if (has_word) {
      line += spaces;
      line_width += spaces.size();
    }
    // A word wider than what is left of a fresh line is cut where the line ends.
    while (line_width + text_width(word) > width && width > line_width) {
      const std::size_t cut = code_points_end(word, width - line_width);
      line += word.substr(0, cut);
      word.remove_prefix(cut);
      lines.push_back(line);
      line.assign(indent, ' ');
      line_width = indent;
    }
    line += word;
    line_width += text_width(word);
    has_word = true;
  }
  lines.push_back(line);
  return lines;
}

} // namespace heatmap_merge
