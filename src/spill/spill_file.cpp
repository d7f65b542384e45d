// Unnamed temporary files (spill_file.hpp): made with O_TMPFILE, written and read with pwrite and
// pread; a full disk is exit 74.

#include "spill/spill_file.hpp"

#include "util/error.hpp"
#include "util/terminal_text.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace heatmap_merge {

namespace {

// A file in `directory` that no name points to.
int open_unlinked(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) {
    return fd;
  }
  // A file system without O_TMPFILE: a name for as long as it takes to unlink it.
  std::string name = (directory / ".heatmap-merge-spill.XXXXXX").string();
  const int named = ::mkostemp(name.data(), O_CLOEXEC);
  if (named >= 0) {
    ::unlink(name.c_str());
  }
  return named;
}

} // namespace

SpillFile::SpillFile(SpillSpace& space) : m_space(space) {
  m_fd = open_unlinked(space.directory());
  if (m_fd < 0) {
    const int error = errno;
    throw Error(error == ENOSPC || error == EDQUOT ? ExitCode::io : ExitCode::cant_create,
                fmt::format("cannot make a temporary file in {} to spill to (--memory-limit): {}",
                            display(space.directory()),
                            std::strerror(error)));
  }
}

SpillFile::~SpillFile() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

std::uint64_t SpillFile::append(const void* data, std::size_t bytes) {
  const std::uint64_t start = m_size;
  const char* from = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t written = ::pwrite(m_fd, from, bytes, static_cast<off_t>(m_size));
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written <= 0) {
      const int error = written < 0 ? errno : ENOSPC;
      throw Error(ExitCode::io,
                  fmt::format("cannot spill to a temporary file in {} (--memory-limit): {}",
                              display(m_space.directory()),
                              std::strerror(error)));
    }
    from += written;
    bytes -= static_cast<std::size_t>(written);
    m_size += static_cast<std::uint64_t>(written);
  }
  m_space.count(m_size - start);
  return start;
}

void SpillFile::read(std::uint64_t offset, void* data, std::size_t bytes) const {
  char* to = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t got = ::pread(m_fd, to, bytes, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      const int error = got < 0 ? errno : EIO;
      throw Error(ExitCode::io,
                  fmt::format("cannot read back a temporary file in {}: {}",
                              display(m_space.directory()),
                              std::strerror(error)));
    }
    to += got;
    bytes -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
}

} // namespace heatmap_merge
