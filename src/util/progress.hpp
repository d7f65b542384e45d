#pragma once
// Progress on stderr for long runs (Progress), and the notes the passes tell the operator: used
// by the read, write and pipeline layers, enabled by app/.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace heatmap_merge {

// Progress on stderr for runs long enough to wonder about: the phase, rows done and a
// percentage, redrawn on one line. Silent unless enabled (stderr is a terminal and the run is
// not quiet), and silent for the first `delay`, so short runs, cron mail and pipes stay clean.
class Progress {
public:
  // `log_phases`: also log each phase's duration on its own line (--verbose).
  // `quiet`: tell() says nothing either (--quiet).
  Progress(bool enabled,
           std::chrono::milliseconds delay,
           bool log_phases = false,
           std::FILE* stream = stderr,
           bool quiet = false);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  // Starts a phase ("reading", "planning", "writing"); `total` 0 means unknown.
  void phase(const std::string& name, std::int64_t total);
  // Counts `rows` more rows done in the current phase; cheap enough for any thread to call.
  void add(std::int64_t rows) {
    m_done.fetch_add(rows, std::memory_order_relaxed);
  }
  // Logs a line of its own, as the phases' durations are (--verbose); nothing otherwise.
  void note(const std::string& line);
  // Tells the operator something they should know of even in a normal run (a backup written, a
  // journal rolled back), on a line of its own; nothing when quiet.
  void tell(const std::string& line);
  // Clears the line; later calls do nothing.
  void finish();

  // Enabled when `stream` is a terminal, NO_PROGRESS is unset, and the run is not quiet.
  static bool wanted(std::FILE* stream, bool quiet);

private:
  void run();
  void draw();

  void log_phase_end();

  std::FILE* m_stream;
  bool m_enabled;
  bool m_log_phases;
  bool m_quiet;
  std::chrono::steady_clock::time_point m_phase_start;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::milliseconds m_delay;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::string m_phase;
  std::uint64_t m_phase_number = 0;
  std::atomic<std::int64_t> m_done{0};
  std::atomic<std::int64_t> m_total{0};
  bool m_stop = false;
  bool m_drawn = false;
  std::thread m_thread;
};

} // namespace heatmap_merge
