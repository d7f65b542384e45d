// Files to remove if a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) ends the run: the temporary
// files a run names while it makes them (the output's, the private copies of inputs) must not
// outlive it, whichever layer made them.
#pragma once

#include <string>

namespace heatmap_merge {

// Registers a file's name with the one signal handler for as long as this object lives, or until
// forget(); never removes the file itself (the owner does, on a normal end). The handler removes
// every registered file, then ends the process by the same signal. A signal ignored when the
// first name is registered (nohup, a background job) stays ignored. Any number of names; one
// longer than PATH_MAX is not registered.
class RemoveOnSignal {
public:
  RemoveOnSignal() = default;
  // For a name that SQLite may create later (a -journal beside a temporary file).
  explicit RemoveOnSignal(const std::string& name);
  RemoveOnSignal(RemoveOnSignal&& other) noexcept;
  RemoveOnSignal& operator=(RemoveOnSignal&& other) noexcept;
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

  // mkstemp(pattern), registered in `removal` before a signal can end the run: no signal
  // between the file's creation and its registration leaves it behind. The descriptor, or -1
  // with errno set.
  static int create(std::string& pattern, RemoveOnSignal& removal);

  // The handler no longer removes the file (it was removed, renamed, or handed to SQLite).
  void forget();

  struct Slot; // the registry's entry (remove_on_signal.cpp)

private:
  Slot* m_slot = nullptr;
};

} // namespace heatmap_merge
