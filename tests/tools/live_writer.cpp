// Stands in for the Flask service in tests: inserts one click per transaction into click_events
// (BEGIN, INSERT, COMMIT, as Python's sqlite3 does by default, with its default 5 s busy timeout)
// until SECONDS have passed or SIGTERM comes, and reports how many rows it wrote and how many
// errors it saw. Each error is a click the service refused (a lost click). Exits 1 on any error.
//
//   live_writer [--rate N] [--ids FILE] DB SECONDS PAGE
//
//   --rate N    N clicks a second, evenly paced (a late click goes at once); without it, one click
//               every 2 ms plus the time the click takes
//   --ids FILE  writes the rowid of each committed click to FILE, one a line, as it commits
//               (FILE is created at the start: from then on SIGTERM stops the writer cleanly)
//
// Prints `inserted N errors M`, then one line for scripts:
// `live_writer inserted=N refused=M slow=K worst_ms=W mean_ms=A seconds=S`, where W is the longest
// one click (BEGIN to COMMIT, or to its error) took and K how many took over 1 s (the browser's
// timeout, after which it retries on the other replica: a failover duplicate).
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Python's sqlite3.connect(timeout=5.0): sqlite3_busy_timeout(5000).
constexpr int k_busy_timeout_ms = 5000;
constexpr std::chrono::milliseconds k_default_pause(2);
constexpr double k_client_timeout_ms = 1000;

volatile std::sig_atomic_t stop_requested = 0;

void request_stop(int) {
  stop_requested = 1;
}

struct Arguments {
  std::string database;
  double seconds = 0;
  std::string page;
  std::optional<double> rate;
  std::string ids;
};

std::optional<Arguments> parse_arguments(int argc, char** argv) {
  Arguments arguments;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if ((argument == "--rate" || argument == "--ids") && i + 1 < argc) {
      const std::string value = argv[++i];
      if (argument == "--rate") {
        arguments.rate = std::atof(value.c_str());
        if (*arguments.rate <= 0) {
          return std::nullopt;
        }
      } else {
        arguments.ids = value;
      }
    } else if (argument.rfind("--", 0) == 0) {
      return std::nullopt;
    } else {
      positional.push_back(argument);
    }
  }
  if (positional.size() != 3) {
    return std::nullopt;
  }
  arguments.database = positional[0];
  arguments.seconds = std::atof(positional[1].c_str());
  arguments.page = positional[2];
  return arguments;
}

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
  // First of all, so that once FILE exists a SIGTERM ends the run cleanly.
  std::signal(SIGTERM, request_stop);
  const std::optional<Arguments> arguments = parse_arguments(argc, argv);
  if (!arguments) {
    fmt::print(stderr, "usage: live_writer [--rate N] [--ids FILE] DB SECONDS PAGE\n");
    return 2;
  }
  std::FILE* ids = nullptr;
  if (!arguments->ids.empty()) {
    ids = std::fopen(arguments->ids.c_str(), "w");
    if (ids == nullptr) {
      fmt::print(stderr, "live_writer: cannot write {}\n", arguments->ids);
      return 2;
    }
  }
  const std::chrono::duration<double> run_for(arguments->seconds);
  SQLite::Database database(arguments->database, SQLite::OPEN_READWRITE, k_busy_timeout_ms);
  SQLite::Statement insert(database,
                           "INSERT INTO click_events (page_url, x, y, viewport_width, "
                           "viewport_height, scroll_y, user_agent, created_at) VALUES (?1, ?2, 1, "
                           "1280, 720, 0, 'live-writer', strftime('%Y-%m-%d %H:%M:%f', 'now'))");
  long clicks = 0;
  long inserted = 0;
  long errors = 0;
  long slow = 0;
  double worst_ms = 0;
  double total_ms = 0;
  const Clock::time_point start = Clock::now();
  while (stop_requested == 0 && Clock::now() - start < run_for) {
    const Clock::time_point click_start = Clock::now();
    try {
      database.exec("BEGIN");
      insert.bind(1, arguments->page);
      insert.bind(2, static_cast<double>(clicks));
      insert.exec();
      insert.reset();
      database.exec("COMMIT");
      ++inserted;
      if (ids != nullptr) {
        fmt::print(ids, "{}\n", database.getLastInsertRowid());
        std::fflush(ids);
      }
    } catch (const SQLite::Exception& e) {
      ++errors;
      fmt::print(
        stderr, "live_writer: {} (extended code {})\n", e.what(), e.getExtendedErrorCode());
      insert.tryReset();
      // Python's `with connection:` rolls back a transaction that failed.
      if (sqlite3_get_autocommit(database.getHandle()) == 0) {
        database.tryExec("ROLLBACK");
      }
    }
    const double took_ms = milliseconds_since(click_start);
    worst_ms = std::max(worst_ms, took_ms);
    slow += took_ms > k_client_timeout_ms ? 1 : 0;
    total_ms += took_ms;
    ++clicks;
    if (arguments->rate) {
      std::this_thread::sleep_until(
        start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(static_cast<double>(clicks) / *arguments->rate)));
    } else {
      std::this_thread::sleep_for(k_default_pause);
    }
  }
  if (ids != nullptr) {
    std::fclose(ids);
  }
  fmt::print("inserted {} errors {}\n", inserted, errors);
  fmt::print("live_writer inserted={} refused={} slow={} worst_ms={:.1f} mean_ms={:.1f} "
             "seconds={:.1f}\n",
             inserted,
             errors,
             slow,
             worst_ms,
             clicks > 0 ? total_ms / static_cast<double>(clicks) : 0.0,
             milliseconds_since(start) / 1000);
  return errors == 0 ? 0 : 1;
}
