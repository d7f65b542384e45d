// The insights drawn from the keys and the plan (insights.hpp): the outages, the clicks per hour,
// and the rows added per page counted within a budget (PageTally).

#include "plan/insights.hpp"
#include "util/timestamp.hpp"
#include "util/units.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <queue>

namespace heatmap_merge {

namespace {

// Hourly counts span at most ten years: beyond, not an hourly chart anyone reads.
constexpr std::int64_t k_max_hourly_hours = k_hours_per_day * 366 * 10;

} // namespace

ActivityMap ActivityMap::of(const Keys& input) {
  ActivityMap map;
  map.m_timeline = input.timeline;
  return map;
}

std::vector<Outage>
find_outages(const InstantStore& added, const ActivityMap& primary, std::int64_t min_rows) {
  std::vector<Outage> outages;
  Outage run;
  const auto close_run = [&]() {
    if (run.rows >= min_rows) {
      outages.push_back(run);
    }
  };
  added.for_each([&](Instant instant) {
    if (run.rows > 0 && primary.any_between(run.end, instant)) {
      close_run();
      run.rows = 0;
    }
    if (run.rows == 0) {
      run.start = instant;
    }
    run.end = instant;
    ++run.rows;
  });
  close_run();
  return outages;
}

std::int64_t HourlyCounts::at(Instant hour) const {
  if (counts.empty() || hour < first_hour) {
    return 0;
  }
  const std::size_t index =
    static_cast<std::size_t>(instant_distance(first_hour, hour) / k_ns_per_hour);
  return index < counts.size() ? counts[index] : 0;
}

namespace {

// The hours from the one of `first` to the one of `last`, counting nothing yet.
HourlyCounts hour_range(Instant first, Instant last) {
  HourlyCounts hourly;
  hourly.first_hour = hour_of(first);
  // Spans beyond ten years are not an hourly chart anyone reads; clip them.
  const std::uint64_t apart = instant_distance(hourly.first_hour, hour_of(last));
  // Nor may the last hour's start pass the largest instant.
  const std::uint64_t room = instant_distance(hourly.first_hour, INT64_MAX) / k_ns_per_hour + 1;
  const std::int64_t hours = static_cast<std::int64_t>(
    std::min({apart / k_ns_per_hour + 1, std::uint64_t{k_max_hourly_hours}, room}));
  hourly.counts.assign(static_cast<std::size_t>(hours), 0);
  return hourly;
}

} // namespace

HourlyCounts hourly_counts(const Keys& input) {
  return hourly_counts(input.timeline, input.first, input.last);
}

HourlyCounts
hourly_counts(const Timeline& timeline, std::optional<Instant> first, std::optional<Instant> last) {
  if (!first || !last) {
    return {};
  }
  // Rows further apart than the chart's span: the span that holds most of them, so that a stray
  // date (a click dated 1700) does not push the outage's hours off the counts.
  const std::uint64_t apart = instant_distance(*first, *last);
  std::optional<std::pair<Instant, Instant>> span;
  if (apart / k_ns_per_hour >= k_max_hourly_hours) {
    span = timeline.busiest_span(k_max_hourly_hours);
  }
  HourlyCounts hourly = span ? hour_range(span->first, span->second) : hour_range(*first, *last);
  for (std::size_t n = 0; n < hourly.counts.size(); ++n) {
    hourly.counts[n] =
      timeline.rows_in_hour(hourly.first_hour + static_cast<std::int64_t>(n) * k_ns_per_hour);
  }
  return hourly;
}

void PageTotals::add_point(double x, double y) {
  if (!has_points) {
    min_x = max_x = x;
    min_y = max_y = y;
    has_points = true;
    return;
  }
  min_x = std::min(min_x, x);
  max_x = std::max(max_x, x);
  min_y = std::min(min_y, y);
  max_y = std::max(max_y, y);
}

void PageTotals::add(const PageTotals& more) {
  rows += more.rows;
  if (more.has_points) {
    add_point(more.min_x, more.min_y);
    add_point(more.max_x, more.max_y);
  }
}

namespace {

// What a page takes in the map beyond its bytes: the node, the string, the totals and the
// allocator's headers, rounded up.
constexpr std::uint64_t k_page_overhead = 160;
// A run is written and read back this many bytes at a time.
constexpr std::size_t k_run_chunk = std::size_t{64} << 10;

// A run's record: the page's length (4 bytes), its bytes, then the totals.
void put_record(std::string& out, const std::string& page, const PageTotals& totals) {
  const auto length = static_cast<std::uint32_t>(page.size());
  const char has_points = totals.has_points ? 1 : 0;
  out.append(reinterpret_cast<const char*>(&length), sizeof length);
  out += page;
  out.append(reinterpret_cast<const char*>(&totals.rows), sizeof totals.rows);
  out += has_points;
  for (const double value : {totals.min_x, totals.max_x, totals.min_y, totals.max_y}) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
}

// Reads one run's records back through a buffer of its own.
class RunReader {
public:
  RunReader(const SpillFile& file, std::uint64_t offset, std::uint64_t bytes, std::size_t buffer)
      : m_file(&file), m_offset(offset), m_left(bytes), m_buffer(buffer) {}

  // The next record, or false at the run's end.
  bool next(std::string& page, PageTotals& totals) {
    if (m_left == 0 && m_pos == m_end) {
      return false;
    }
    std::uint32_t length = 0;
    read(&length, sizeof length);
    page.resize(length);
    read(page.data(), length);
    read(&totals.rows, sizeof totals.rows);
    char has_points = 0;
    read(&has_points, 1);
    totals.has_points = has_points != 0;
    for (double* value : {&totals.min_x, &totals.max_x, &totals.min_y, &totals.max_y}) {
      read(value, sizeof *value);
    }
    return true;
  }

private:
  void read(void* to, std::size_t bytes) {
    char* out = static_cast<char*>(to);
    while (bytes > 0) {
      if (m_pos == m_end) {
        const std::size_t count =
          static_cast<std::size_t>(std::min<std::uint64_t>(m_left, m_buffer.size()));
        m_file->read(m_offset, m_buffer.data(), count);
        m_offset += count;
        m_left -= count;
        m_pos = 0;
        m_end = count;
      }
      const std::size_t count = std::min(bytes, m_end - m_pos);
      std::memcpy(out, m_buffer.data() + m_pos, count);
      m_pos += count;
      out += count;
      bytes -= count;
    }
  }

  const SpillFile* m_file;
  std::uint64_t m_offset;
  std::uint64_t m_left;
  std::vector<char> m_buffer;
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
};

} // namespace

PageTally::PageTally(SpillSpace* space, std::uint64_t max_bytes)
    : m_space(space), m_max_bytes(space == nullptr ? UINT64_MAX : max_bytes) {}

PageTally::~PageTally() = default;

void PageTally::add(std::string_view page, std::optional<std::pair<double, double>> point) {
  auto found = m_pages.find(page);
  if (found == m_pages.end()) {
    if (m_bytes + page.size() + k_page_overhead > m_max_bytes && !m_pages.empty()) {
      spill();
    }
    found = m_pages.emplace(std::string(page), PageTotals{}).first;
    m_bytes += page.size() + k_page_overhead;
  }
  ++found->second.rows;
  if (point) {
    found->second.add_point(point->first, point->second);
  }
}

void PageTally::spill() {
  if (!m_file) {
    m_file = std::make_unique<SpillFile>(*m_space);
  }
  Run run;
  std::string chunk;
  for (const auto& [page, totals] : m_pages) {
    put_record(chunk, page, totals);
    if (chunk.size() >= k_run_chunk) {
      const std::uint64_t at = m_file->append(chunk.data(), chunk.size());
      run.offset = run.bytes == 0 ? at : run.offset;
      run.bytes += chunk.size();
      chunk.clear();
    }
  }
  if (!chunk.empty()) {
    const std::uint64_t at = m_file->append(chunk.data(), chunk.size());
    run.offset = run.bytes == 0 ? at : run.offset;
    run.bytes += chunk.size();
  }
  m_runs.push_back(run);
  m_pages.clear();
  m_bytes = 0;
}

void PageTally::for_each(const std::function<void(const std::string&, const PageTotals&)>& visit) {
  if (m_runs.empty()) {
    for (const auto& [page, totals] : m_pages) {
      visit(page, totals);
    }
    return;
  }
  if (!m_pages.empty()) {
    spill();
  }
  // Each run reads through its share of the budget, between 4 and 64 KiB.
  const std::size_t buffer = static_cast<std::size_t>(
    std::clamp<std::uint64_t>(m_max_bytes / m_runs.size(), std::uint64_t{4} << 10, k_run_chunk));
  struct Head {
    std::string page;
    PageTotals totals;
  };
  std::vector<RunReader> readers;
  std::vector<Head> heads(m_runs.size());
  for (const Run& run : m_runs) {
    readers.emplace_back(*m_file, run.offset, run.bytes, buffer);
  }
  // The run whose head comes first on top; of equal pages, the earlier run's.
  const auto later = [&heads](std::size_t a, std::size_t b) {
    return heads[a].page != heads[b].page ? heads[a].page > heads[b].page : a > b;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> queue(later);
  for (std::size_t i = 0; i < readers.size(); ++i) {
    if (readers[i].next(heads[i].page, heads[i].totals)) {
      queue.push(i);
    }
  }
  std::string page;
  PageTotals totals;
  bool any = false;
  while (!queue.empty()) {
    const std::size_t i = queue.top();
    queue.pop();
    if (any && heads[i].page != page) {
      visit(page, totals);
      any = false;
    }
    if (!any) {
      page = heads[i].page;
      totals = PageTotals{};
      any = true;
    }
    totals.add(heads[i].totals);
    if (readers[i].next(heads[i].page, heads[i].totals)) {
      queue.push(i);
    }
  }
  if (any) {
    visit(page, totals);
  }
}

} // namespace heatmap_merge
