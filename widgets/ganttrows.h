#pragma once

// The rows of an operator Gantt chart: one per TC core, per VC core and (with collectives) one
// for the links, or, folded, one per group of identical cores. A chip with thousands of cores
// usually has a handful that run single-core operators and thousands that only take part in the
// intra-operator ones (or idle): one row each would make the labels a black band. Cores are
// identical when they hold the same operators over the same intervals; a TC never folds with a
// VC.

#include <QString>

#include <vector>

#include "core/schedule/schedule.h"

namespace phaze {

struct GanttBar {
    int op = 0; // index into the problem's operators
    OpMode mode = OpMode::Single;
    // The unfolded rows it holds: TC i is i, VC j is numTc + j, the links numTc + numVc (intra:
    // every core).
    std::vector<int> cores;
    std::vector<int> rows; // the rows it is drawn on (folded: each group of its cores once)
    double start = 0.0;    // s
    double end = 0.0;      // s
};

struct GanttRow {
    QString label;          // "TC 3", "TC 4–4095 (×4092)", "TC ×12", "VC 0", "Links"
    std::vector<int> cores; // the unfolded rows it stands for, ascending
};

// The rows for a chip of numTc + numVc cores (plus the links row when links is set), in the
// order of their first core, and bars' rows set to match. fold = false gives one row per core.
std::vector<GanttRow> layoutGanttRows(int numTc, int numVc, bool links, bool fold,
                                      std::vector<GanttBar> &bars);

} // namespace phaze
