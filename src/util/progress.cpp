// Progress on stderr (progress.hpp): the phase line redrawn for long runs, and the -v log of
// each phase's duration and rows.
#include "util/progress.hpp"

#include "util/duration.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <unistd.h>

namespace heatmap_merge {

namespace {

constexpr std::chrono::milliseconds k_redraw_interval{200};

} // namespace

Progress::Progress(
  bool enabled, std::chrono::milliseconds delay, bool log_phases, std::FILE* stream, bool quiet)
    : m_stream(stream), m_enabled(enabled), m_log_phases(log_phases), m_quiet(quiet),
      m_phase_start(std::chrono::steady_clock::now()), m_start(m_phase_start), m_delay(delay) {
  if (m_enabled) {
    m_thread = std::thread([this] { run(); });
  }
}

Progress::~Progress() {
  finish();
}

bool Progress::wanted(std::FILE* stream, bool quiet) {
  return !quiet && isatty(fileno(stream)) != 0 && std::getenv("NO_PROGRESS") == nullptr;
}

void Progress::phase(const std::string& name, std::int64_t total) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  log_phase_end();
  m_phase = name;
  ++m_phase_number;
  m_total.store(total, std::memory_order_relaxed);
  m_done.store(0, std::memory_order_relaxed);
  m_wake.notify_all();
}

void Progress::finish() {
  {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_stop) {
      return;
    }
    m_stop = true;
    log_phase_end();
  }
  m_wake.notify_all();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

void Progress::note(const std::string& line) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  if (m_log_phases) {
    if (m_drawn) {
      fmt::print(m_stream, "\r\033[K");
    }
    fmt::print(m_stream, "heatmap-merge: {}\n", line);
  }
}

void Progress::tell(const std::string& line) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  if (!m_quiet) {
    if (m_drawn) {
      fmt::print(m_stream, "\r\033[K");
    }
    fmt::print(m_stream, "heatmap-merge: {}\n", line);
  }
}

void Progress::log_phase_end() {
  const std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  if (m_log_phases && !m_phase.empty()) {
    if (m_drawn) {
      fmt::print(m_stream, "\r\033[K");
    }
    // Rows only for a phase that counts them: one with a total, or that counted any.
    const std::int64_t done = m_done.load(std::memory_order_relaxed);
    const bool counts_rows = done > 0 || m_total.load(std::memory_order_relaxed) > 0;
    fmt::print(
      m_stream,
      "heatmap-merge: {} took {}{}\n",
      m_phase,
      readable_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - m_phase_start)),
      counts_rows ? fmt::format(" ({})", counted(done, "row")) : "");
  }
  m_phase_start = now;
}

void Progress::run() {
  std::unique_lock<std::mutex> lock(m_mutex);
  if (m_wake.wait_until(lock, m_start + m_delay, [this] { return m_stop; })) {
    return;
  }
  while (!m_stop) {
    if (!m_phase.empty()) {
      draw();
    }
    // Redraw at once when a phase starts, so even a short phase shows.
    const std::uint64_t drawn_phase = m_phase_number;
    m_wake.wait_for(lock, k_redraw_interval, [this, drawn_phase] {
      return m_stop || m_phase_number != drawn_phase;
    });
  }
  if (m_drawn) {
    // Erase the line so the report (or an error) starts clean.
    fmt::print(m_stream, "\r\033[K");
    std::fflush(m_stream);
  }
}

void Progress::draw() {
  const std::int64_t done = m_done.load(std::memory_order_relaxed);
  const std::int64_t total = m_total.load(std::memory_order_relaxed);
  const double seconds =
    std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  std::string line = fmt::format("heatmap-merge: {}", m_phase);
  if (done > 0 || total > 0) {
    line += fmt::format(" {} rows", done);
  }
  if (total > 0) {
    // Totals can be estimates: never claim more than 99% before the phase ends.
    const double percent =
      std::min(99.0, 100.0 * static_cast<double>(done) / static_cast<double>(total));
    line += fmt::format(" ({:.0f}%)", percent);
  }
  line += fmt::format("  {:.1f}s", seconds);
  fmt::print(m_stream, "\r{}\033[K", line);
  std::fflush(m_stream);
  m_drawn = true;
}

} // namespace heatmap_merge
