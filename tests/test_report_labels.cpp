// The words of the reports (report/report.hpp): the inputs' labels, fitted and wrapped; counted
// nouns and readable durations, which live in util/ for the layers below the report.
#include "report/report.hpp"
#include "util/text.hpp"
#include "util/duration.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

using namespace heatmap_merge;

namespace {

std::vector<std::string> labels_of(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> inputs(paths.begin(), paths.end());
  return input_labels(inputs);
}

using Labels = std::vector<std::string>;

} // namespace

TEST_CASE("report: input_labels") {
  SUBCASE("file names that differ are the labels") {
    CHECK(labels_of({"/srv/gcp/p.db", "/srv/aws/s.db"}) == Labels{"p.db", "s.db"});
    CHECK(labels_of({"day-primary.db", "day-secondary.db"}) ==
          Labels{"day-primary.db", "day-secondary.db"});
  }
  SUBCASE("alike file names take the fewest trailing parts that differ") {
    CHECK(labels_of({"/srv/gcp/heatmap.db", "/srv/aws/heatmap.db"}) ==
          Labels{"gcp/heatmap.db", "aws/heatmap.db"});
    CHECK(labels_of({"/a/x/h.db", "/b/x/h.db"}) == Labels{"a/x/h.db", "b/x/h.db"});
    CHECK(labels_of({"gcp/heatmap.db", "aws/heatmap.db", "other.db"}) ==
          Labels{"gcp/heatmap.db", "aws/heatmap.db", "other.db"});
  }
  SUBCASE("only the labels that are alike grow") {
    CHECK(labels_of({"h.db", "a/h.db"}) == Labels{"h.db", "a/h.db"});
    CHECK(labels_of({"../gcp/h.db", "../aws/h.db"}) == Labels{"gcp/h.db", "aws/h.db"});
    CHECK(labels_of({"gcp/h.db", "/srv/gcp/h.db"}) == Labels{"gcp/h.db", "srv/gcp/h.db"});
  }
  SUBCASE("paths that end alike however far back get the roles") {
    CHECK(labels_of({"p.db", "p.db"}) == Labels{"primary", "secondary"});
    CHECK(labels_of({"./p.db", "p.db", "q.db"}) == Labels{"primary", "secondary", "secondary 2"});
    CHECK(labels_of({"/srv/a/p.db", "/srv/a/./p.db"}) == Labels{"primary", "secondary"});
    CHECK(labels_of({"/srv/a/p.db", "/srv//a/p.db/"}) == Labels{"primary", "secondary"});
    // Through a symbolic link "link/../p.db" may be another file than "p.db": it keeps its "..".
    CHECK(labels_of({"p.db", "link/../p.db"}) == Labels{"p.db", "../p.db"});
  }
  SUBCASE("every label differs from every other") {
    const Labels labels = labels_of({"/x/a/h.db", "/y/a/h.db", "/x/b/h.db", "/z/c/h.db"});
    CHECK(labels == Labels{"x/a/h.db", "y/a/h.db", "b/h.db", "c/h.db"});
  }
}

TEST_CASE("report: fit_labels") {
  SUBCASE("labels that fit stay whole") {
    CHECK(fit_labels({"gcp/heatmap.db", "aws/heatmap.db"}, 14) ==
          Labels{"gcp/heatmap.db", "aws/heatmap.db"});
  }
  SUBCASE("a long label loses its start, the end that tells file names apart") {
    CHECK(fit_labels({"day-primary.db", "day-secondary.db"}, 12) ==
          Labels{"…-primary.db", "…econdary.db"});
    for (const std::string& label : fit_labels({"day-primary.db", "day-secondary.db"}, 12)) {
      CHECK(text_width(label) <= 12);
    }
  }
  SUBCASE("where the ends are alike, the middle goes") {
    const Labels fitted = fit_labels({"gcp/heatmap.db", "aws/heatmap.db"}, 10);
    CHECK(fitted == Labels{"gcp/…ap.db", "aws/…ap.db"});
    CHECK(fitted[0] != fitted[1]);
  }
  SUBCASE("labels that no cut keeps apart stay whole") {
    CHECK(fit_labels({"abcdefgh", "abcxxfgh"}, 3) == Labels{"abcdefgh", "abcxxfgh"});
  }
  SUBCASE("widths count code points") {
    CHECK(text_width("…é") == 2);
    CHECK(text_width("\033[1mbold\033[0m") == 4);
    CHECK(fit_labels({"ééééé-a", "ééééé-b"}, 4) == Labels{"…é-a", "…é-b"});
  }
}

TEST_CASE("report: wrap_text") {
  CHECK(wrap_text("short", 80) == Labels{"short"});
  CHECK(wrap_text("  one two three", 10, 4) == Labels{"  one two", "    three"});
  CHECK(wrap_text("abcdefghij", 4, 1) == Labels{"abcd", " efg", " hij"});
  for (const std::string& line : wrap_text(std::string(200, 'x') + " y", 80, 2)) {
    CHECK(text_width(line) <= 80);
  }
}

TEST_CASE("report: counted") {
  CHECK(counted(1, "duplicate") == "1 duplicate");
  CHECK(counted(2, "duplicate") == "2 duplicates");
  CHECK(counted(0, "row") == "0 rows");
  CHECK(counted(1, "other page") == "1 other page");
  CHECK(counted(3, "entry", "entries") == "3 entries");
}

TEST_CASE("report: readable_duration") {
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  CHECK(readable_duration(minutes(2)) == "2m");
  CHECK(readable_duration(minutes(90)) == "90m");
  CHECK(readable_duration(std::chrono::hours(1)) == "1h");
  CHECK(readable_duration(seconds(90)) == "90s");
  CHECK(readable_duration(milliseconds(1500)) == "1.5s");
  CHECK(readable_duration(milliseconds(500)) == "500ms");
  CHECK(readable_duration(seconds(0)) == "0s");
  CHECK(readable_duration(-minutes(2)) == "-2m");
}
