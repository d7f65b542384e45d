#pragma once
// The one error type of the tool (Error) and its exit codes (sysexits.h): thrown from every
// layer, caught once in app/.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace SQLite {
class Exception;
}

namespace heatmap_merge {

// Exit codes follow sysexits.h so that cron wrappers can tell a retry from a bug.
enum class ExitCode : int {
  ok = 0,
  usage = 64,       // EX_USAGE
  data = 65,        // EX_DATAERR: not a database, corrupt, schema mismatch
  no_input = 66,    // EX_NOINPUT: input missing or unreadable
  software = 70,    // EX_SOFTWARE: an internal error, a bug
  cant_create = 73, // EX_CANTCREAT: output exists or cannot be created
  io = 74,          // EX_IOERR: failed write, disk full
  temp_fail = 75,   // EX_TEMPFAIL: locked input or concurrent run
};

// sysexits.h's name of `code` without its EX_ and in lower case ("noinput"), for the JSON error
// object.
const char* exit_code_name(ExitCode code);

// The one error type of the tool: caught once in main, printed as "heatmap-merge: error: ...".
class Error : public std::runtime_error {
public:
  Error(ExitCode code, const std::string& message);
  // An error about `file` (an input, the output, a --config file): the JSON error object names it
  // as given, for scripts that must not parse the message.
  Error(ExitCode code, const std::string& message, const std::filesystem::path& file);

  // A data error that says `file` is corrupt: the merge checks such a verdict on an input again,
  // under a fresh lock, before it stands (merge()).
  static Error corrupt(const std::filesystem::path& file, const std::string& message);

  ExitCode code() const {
    return m_code;
  }
  // The file called corrupt, if this is such an error.
  const std::filesystem::path& corrupt_file() const {
    return m_corrupt_file;
  }
  // The file the error is about, if it names one.
  const std::optional<std::filesystem::path>& file() const {
    return m_file;
  }
  // Lines printed on stderr after the message, such as a usage line; not part of the message.
  const std::string& hint() const {
    return m_hint;
  }
  Error& with_hint(const std::string& hint) {
    m_hint = hint;
    return *this;
  }

private:
  ExitCode m_code;
  std::filesystem::path m_corrupt_file;
  std::optional<std::filesystem::path> m_file;
  std::string m_hint;
};

// Exit 74: standard output could not take `what` ("the patch", "the report"), with the cause when
// errno holds one: callers clear errno before writing.
[[nodiscard]] Error stdout_error(const std::string& what);

// Turns a SQLite failure on `path` into an Error with the matching exit code. `doing` says what
// the tool was doing ("reading", "writing", ...).
[[nodiscard]] Error sqlite_error(const std::filesystem::path& path,
                                 const SQLite::Exception& exception,
                                 const std::string& doing);

// Same, from a raw SQLite (extended) result code and message.
[[nodiscard]] Error sqlite_error(const std::filesystem::path& path,
                                 int extended_code,
                                 const std::string& sqlite_message,
                                 const std::string& doing);

} // namespace heatmap_merge
