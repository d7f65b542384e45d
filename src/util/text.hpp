#pragma once
// Words for counts in messages and reports: "1 row", "2 rows". The bottom layer (util): used from
// the read phase's notes up to the reports.

#include <cstdint>
#include <string>
#include <string_view>

namespace heatmap_merge {

// "1 duplicate", "2 duplicates", "0 rows": a count and its noun, singular for exactly one. The
// plural is the singular plus "s" unless given.
std::string counted(std::int64_t count, std::string_view singular, std::string_view plural = {});

} // namespace heatmap_merge
