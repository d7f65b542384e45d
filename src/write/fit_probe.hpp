#pragma once
// The added rows tried, before anything is written, on an empty in-memory table declared as the
// output's: a row the writing would refuse (a STRICT column's type, NOT NULL, a CHECK) is found by
// a dry run and a patch, which insert nothing, and by --in-place before its first commit.

#include "plan/plan.hpp"

#include <filesystem>

namespace heatmap_merge {

struct ColumnLayout;
struct Snapshots;
class Progress;

// Whether the schemas leave an added row that the primary's table could refuse: it is STRICT,
// has a CHECK or a generated column, or a NOT NULL column that some secondary does not declare
// NOT NULL (the premise of Optimizations::fit_probe_by_schema, in util/options.hpp).
bool rows_may_not_fit(const Snapshots& inputs);

// Throws the data error (exit 65) that writing the added rows of `plan` into `named`'s table
// would throw, with the same message. UNIQUE constraints are not tried (the probe's table holds
// none of the primary's rows); a table the probe cannot declare (a collation SQLite lacks, say)
// is not tried either, and says so on -v. Returns whether the rows were tried.
bool probe_rows_fit(const std::filesystem::path& named,
                    Snapshots& inputs,
                    const ColumnLayout& layout,
                    const Plan& plan,
                    Progress& progress);

} // namespace heatmap_merge
