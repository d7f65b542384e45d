// The registry of remove_on_signal.hpp: fixed slots of plain buffers, since the handler may only
// make async-signal-safe calls (unlink, signal, raise) and read lock-free atomics.
#include "util/remove_on_signal.hpp"

#include <array>
#include <atomic>
#include <climits>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace heatmap_merge {

namespace {

// The output and its three companions, and a private copy per input, with room to spare.
constexpr std::size_t k_slots = 32;

struct Slot {
  std::atomic<bool> claimed{false}; // owned by a RemoveOnSignal
  std::atomic<bool> named{false};   // `name` is whole: the handler may read it
  std::array<char, PATH_MAX> name{};
};

std::array<Slot, k_slots> g_slots;
std::atomic<bool> g_installed{false};

static_assert(std::atomic<bool>::is_always_lock_free, "the handler reads these flags");

void remove_then_end(int signal_number) {
  for (Slot& slot : g_slots) {
    if (slot.named.load(std::memory_order_acquire)) {
      unlink(slot.name.data());
    }
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_handler() {
  if (g_installed.exchange(true)) {
    return;
  }
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    struct sigaction previous {};
    if (sigaction(signal_number, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) {
      continue;
    }
    std::signal(signal_number, remove_then_end);
  }
}

} // namespace

RemoveOnSignal::RemoveOnSignal(const std::string& name) {
  if (name.size() >= PATH_MAX) {
    return;
  }
  install_handler();
  for (std::size_t i = 0; i < k_slots; ++i) {
    if (!g_slots[i].claimed.exchange(true, std::memory_order_acq_rel)) {
      std::memcpy(g_slots[i].name.data(), name.c_str(), name.size() + 1);
      g_slots[i].named.store(true, std::memory_order_release);
      m_slot = static_cast<int>(i);
      return;
    }
  }
}

RemoveOnSignal::RemoveOnSignal(RemoveOnSignal&& other) noexcept : m_slot(other.m_slot) {
  other.m_slot = -1;
}

RemoveOnSignal& RemoveOnSignal::operator=(RemoveOnSignal&& other) noexcept {
  if (this != &other) {
    forget();
    m_slot = other.m_slot;
    other.m_slot = -1;
  }
  return *this;
}

RemoveOnSignal::~RemoveOnSignal() {
  forget();
}

void RemoveOnSignal::forget() {
  if (m_slot < 0) {
    return;
  }
  Slot& slot = g_slots[static_cast<std::size_t>(m_slot)];
  slot.named.store(false, std::memory_order_release);
  slot.claimed.store(false, std::memory_order_release);
  m_slot = -1;
}

} // namespace heatmap_merge
