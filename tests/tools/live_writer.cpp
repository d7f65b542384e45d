// Stands in for the Flask service in tests: inserts one click per autocommit transaction into
// click_events, with Python sqlite3's default 5 s busy timeout, until SECONDS have passed, and
// reports how many rows it wrote and how many errors it saw. Exits 1 on any error.
//
//   live_writer DB SECONDS PAGE
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
  if (argc != 4) {
    fmt::print(stderr, "usage: live_writer DB SECONDS PAGE\n");
    return 2;
  }
  const std::chrono::duration<double> run_for(std::atof(argv[2]));
  SQLite::Database database(argv[1], SQLite::OPEN_READWRITE, 5000);
  SQLite::Statement insert(database,
                           "INSERT INTO click_events (page_url, x, y, viewport_width, "
                           "viewport_height, scroll_y, user_agent, created_at) VALUES (?1, ?2, 1, "
                           "1280, 720, 0, 'live-writer', strftime('%Y-%m-%d %H:%M:%f', 'now'))");
  long inserted = 0;
  long errors = 0;
  const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < run_for) {
    try {
      insert.bind(1, argv[3]);
      insert.bind(2, static_cast<double>(inserted));
      insert.exec();
      insert.reset();
      ++inserted;
    } catch (const SQLite::Exception& e) {
      ++errors;
      fmt::print(stderr, "live_writer: {}\n", e.what());
      insert.tryReset();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  fmt::print("inserted {} errors {}\n", inserted, errors);
  return errors == 0 ? 0 : 1;
}
