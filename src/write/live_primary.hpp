#pragma once
// What --in-place's writers share on the live primary: its connection, opened as they need it,
// and the pace of their short transactions beside the service (write/in_place.cpp's inserts,
// write/remove_replays.cpp's deletions).

#include "write/in_place.hpp"

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace heatmap_merge {

// The pace of --in-place's transactions. The service waits for our commit's flush to disk too,
// which on an ordinary disk takes longer than the inserts and grows with what they wrote: each
// transaction inserts for the share of the budget that the commit leaves, judged by the largest
// recent ratio of commit to insert time (a fifth of the budget before one is measured), less a
// tenth for the flush's variance.
class Pacer {
public:
  using Seconds = std::chrono::duration<double>;

  Seconds insert_budget() const {
    const Seconds budget = k_transaction_budget;
    return std::max(budget / (1.0 + m_commit_per_insert) / 1.1, budget / 40);
  }
  // A slow flush counts at once; a fast one lowers the estimate gradually, since flushes vary.
  void measured(Seconds inserting, Seconds commit) {
    m_commit_per_insert =
      std::max(commit / std::max(inserting, Seconds(0.001)), m_commit_per_insert * 0.8);
  }

private:
  double m_commit_per_insert = 4.0;
};

// Opens the live primary for writing: busy handling as the run's lock timeout says, the page
// cache kept from spilling mid-transaction, hardened.
SQLite::Database open_live(const std::filesystem::path& path, const Options& options);

} // namespace heatmap_merge
