// Words for counts (text.hpp).
#include "util/text.hpp"

#include <fmt/format.h>

namespace heatmap_merge {

std::string counted(std::int64_t count, std::string_view singular, std::string_view plural) {
  if (count == 1) {
    return fmt::format("1 {}", singular);
  }
  if (plural.empty()) {
    return fmt::format("{} {}s", count, singular);
  }
  return fmt::format("{} {}", count, plural);
}

} // namespace heatmap_merge
