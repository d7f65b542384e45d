// The registry of remove_on_signal.hpp: a list of slots, each a plain buffer, that only grows
// (slots are reused, never freed), since the handler may only make async-signal-safe calls
// (unlink, signal, raise) and read lock-free atomics.
#include "util/remove_on_signal.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <unistd.h>

namespace heatmap_merge {

struct RemoveOnSignal::Slot {
  std::atomic<bool> claimed{false}; // owned by a RemoveOnSignal
  std::atomic<bool> named{false};   // `name` is whole: the handler may read it
  std::array<char, PATH_MAX> name{};
  Slot* next = nullptr; // set before the slot is published, never changed
};

namespace {

using Slot = RemoveOnSignal::Slot;

constexpr std::array<int, 4> k_signals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

std::atomic<Slot*> g_slots{nullptr};
std::atomic<bool> g_installed{false};
// create()'s handshake with the handler: a thread creating a file says so first and gives up
// if the run is ending; the handler says the run ends first, then waits for creations under way
// to be registered. Sequentially consistent: one of the two sees the other.
std::atomic<int> g_creating{0};
std::atomic<bool> g_ending{false};

static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free &&
                std::atomic<Slot*>::is_always_lock_free,
              "the handler reads these");

void remove_then_end(int signal_number) {
  g_ending.store(true);
  // A creating thread blocks these signals, so it is not this one: it ends soon.
  while (g_creating.load() > 0) {
  }
  for (Slot* slot = g_slots.load(); slot != nullptr; slot = slot->next) {
    if (slot->named.load(std::memory_order_acquire)) {
      unlink(slot->name.data());
    }
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_handler() {
  if (g_installed.exchange(true)) {
    return;
  }
  for (const int signal_number : k_signals) {
    struct sigaction previous {};
    if (sigaction(signal_number, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) {
      continue;
    }
    std::signal(signal_number, remove_then_end);
  }
}

Slot* claim_slot() {
  for (Slot* slot = g_slots.load(); slot != nullptr; slot = slot->next) {
    if (!slot->claimed.exchange(true, std::memory_order_acq_rel)) {
      return slot;
    }
  }
  Slot* slot = new Slot; // reachable from g_slots for good: reused, never freed
  slot->claimed.store(true);
  slot->next = g_slots.load();
  while (!g_slots.compare_exchange_weak(slot->next, slot)) {
  }
  return slot;
}

} // namespace

RemoveOnSignal::RemoveOnSignal(const std::string& name) {
  if (name.size() >= PATH_MAX) {
    return;
  }
  install_handler();
  m_slot = claim_slot();
  std::memcpy(m_slot->name.data(), name.c_str(), name.size() + 1);
  m_slot->named.store(true, std::memory_order_release);
}

int RemoveOnSignal::create(std::string& pattern, RemoveOnSignal& removal) {
  install_handler();
  sigset_t handled;
  sigset_t previous;
  sigemptyset(&handled);
  for (const int signal_number : k_signals) {
    sigaddset(&handled, signal_number);
  }
  pthread_sigmask(SIG_BLOCK, &handled, &previous);
  g_creating.fetch_add(1);
  if (g_ending.load()) {
    g_creating.fetch_sub(1);
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    for (;;) {
      pause(); // the handler, on another thread, ends the run
    }
  }
  const int fd = mkstemp(pattern.data());
  const int error = errno;
  if (fd >= 0) {
    removal = RemoveOnSignal(pattern);
  }
  g_creating.fetch_sub(1);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = error;
  return fd;
}

RemoveOnSignal::RemoveOnSignal(RemoveOnSignal&& other) noexcept : m_slot(other.m_slot) {
  other.m_slot = nullptr;
}

RemoveOnSignal& RemoveOnSignal::operator=(RemoveOnSignal&& other) noexcept {
  if (this != &other) {
    forget();
    m_slot = other.m_slot;
    other.m_slot = nullptr;
  }
  return *this;
}

RemoveOnSignal::~RemoveOnSignal() {
  forget();
}

void RemoveOnSignal::forget() {
  if (m_slot == nullptr) {
    return;
  }
  m_slot->named.store(false, std::memory_order_release);
  m_slot->claimed.store(false, std::memory_order_release);
  m_slot = nullptr;
}

} // namespace heatmap_merge
