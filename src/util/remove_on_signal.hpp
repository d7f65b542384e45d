// Files to remove if a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) ends the run: the temporary
// files a run names while it makes them (the output's, the private copies of inputs) must not
// outlive it, whichever layer made them.
#pragma once

#include <string>

namespace heatmap_merge {

// Registers a file's name with the one signal handler for as long as this object lives, or until
// forget(); never removes the file itself (the owner does, on a normal end). The handler removes
// every registered file, then ends the process by the same signal. A signal ignored when the
// first name is registered (nohup, a background job) stays ignored. Best effort: past the fixed
// number of names, or a name longer than PATH_MAX, is not registered.
class RemoveOnSignal {
public:
  RemoveOnSignal() = default;
  explicit RemoveOnSignal(const std::string& name);
  RemoveOnSignal(RemoveOnSignal&& other) noexcept;
  RemoveOnSignal& operator=(RemoveOnSignal&& other) noexcept;
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

  // The handler no longer removes the file (it was removed, renamed, or handed to SQLite).
  void forget();

private:
  int m_slot = -1;
};

} // namespace heatmap_merge
