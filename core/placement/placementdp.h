#pragma once

// The placement DP for one tensor-parallel width t over the downset lattice of its layer DAG.
//
// best[D][s][j] = the smallest maximum stage load when the layers of downset D form exactly s
// stages of which at most j are tensor-parallel (t devices each; the others use one device).
// This is PHAZE's best[D][k][s] ("at most k devices") with the device budget split into its
// only two kinds of stages: s + (t - 1) j devices. It holds the same values (min and max are
// exact, so they are bit-identical), but j <= min(s, N / t) instead of k <= N, which makes the
// table 10-100x smaller for large N. The data-parallel round then looks up, for each d, the
// largest j that fits floor(N / d) devices.

#include <cstdint>
#include <vector>

#include "core/base/progress.h"
#include "core/base/status.h"
#include "core/placement/downsets.h"
#include "core/placement/memorymodel.h"
#include "core/placement/placement.h"
#include "core/placement/placementevaluator.h"
#include "core/placement/stageload.h"

namespace phaze {

struct WidthOptimum {
    bool found = false;
    double timePerBatch = 0.0;
    int dataParallel = 0;
    std::vector<StagePlan> stages; // first stage first
    long long stagePairs = 0;
};

class PlacementDp
{
public:
    PlacementDp(const PlacementInput &input, const LayerDag &dag, const DownsetLattice &lattice,
                PipelineSchedule schedule);

    std::size_t tableBytes() const { return m_tableSize * sizeof(double); }
    // Optimal, Cancelled or Error (internal inconsistency); out.found tells feasibility.
    Status solve(WidthOptimum &out, const ProgressSink &progress, const CancelToken &cancel);

private:
    struct Choice {
        double time = 0.0;
        int dataParallel = 0;
        int sub = -1; // the rest after the first stage
        int stages = 0;
        int budgetJ = 0; // tensor-parallel stages allowed in the rest
        int firstDevices = 1;
    };
    struct FirstStage {
        int sub = 0;
        StageCost cost;
        int maxPosition = 0;
    };

    double *row(int id, int s)
    {
        return m_table.data() + m_offset[std::size_t(id)] + std::size_t(s) * m_rowLength;
    }
    int stageMaxPosition(const StageCost &c, long long gpipeMicrobatches) const;
    const StageCost &stageBetween(int id, int sub);
    bool fillTable(long long gpipeMicrobatches, const ProgressSink &progress,
                   const CancelToken &cancel);
    void dataParallelRound(int dFrom, int dTo, long long gpipeMicrobatches, Choice &best);
    bool reconstruct(const Choice &best, long long gpipeMicrobatches, WidthOptimum &out);
    StagePlan planOf(int id, int sub, int devices) const;

    const PlacementInput &m_input;
    const LayerDag &m_dag;
    const DownsetLattice &m_lattice;
    PipelineSchedule m_schedule;
    StageLoad m_loads;
    MemoryModel m_memory;
    int m_t = 1;
    int m_maxStages = 1; // min(N, n)
    int m_maxJ = 0;      // tensor-parallel stages: min(maxStages, N / t), 0 when t = 1
    std::size_t m_rowLength = 1;
    std::vector<std::size_t> m_offset;
    std::vector<int> m_sCap; // rows per downset: min(|D|, maxStages)
    std::vector<int> m_sTop; // largest s with a finite entry, -1 if none
    std::size_t m_tableSize = 0;
    std::vector<double> m_table;
    std::vector<std::uint64_t> m_members; // scratch
    StageCost m_cost;                     // scratch
    long long m_pairs = 0;
    // GPipe: the largest microbatch capacity among the stages the last fillTable() left out
    // (too little memory for its microbatch count). The table stays the same for every count
    // above it, so fewer microbatches per pipeline only refill past it.
    long long m_excludedCapacity = -1;
};

} // namespace phaze
