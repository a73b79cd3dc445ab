#pragma once

// Random small schedule problems for the scheduler tests (header-only: each test file is its
// own binary). Deterministic for a given seed.

#include <random>

#include "core/schedule/scheduleproblem.h"

namespace phaze::testing {

struct RandomProblemSpec {
    int minOps = 1;
    int maxOps = 7;
    double edgeProbability = 0.3;
    bool collectives = true;
    bool integerLatencies = false;
};

inline ScheduleProblem randomProblem(std::mt19937 &rng, const RandomProblemSpec &spec = {})
{
    ScheduleProblem p;
    p.numTc = std::uniform_int_distribution<int>(1, 3)(rng);
    p.numVc = std::uniform_int_distribution<int>(1, 2)(rng);
    const int n = std::uniform_int_distribution<int>(spec.minOps, spec.maxOps)(rng);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int i = 0; i < n; ++i) {
        ScheduleOp op;
        op.name = "op" + std::to_string(i);
        const double k = unit(rng);
        op.kind = k < 0.3                         ? ScheduleOpKind::TC
                  : k < 0.6                       ? ScheduleOpKind::VC
                  : k < 0.85 || !spec.collectives ? ScheduleOpKind::TCVC
                                                  : ScheduleOpKind::Collective;
        if (spec.integerLatencies) {
            op.latency = std::uniform_int_distribution<int>(1, 9)(rng);
            op.intraLatency = std::uniform_int_distribution<int>(1, 9)(rng);
        } else {
            op.latency = std::round((1.0 + 19.0 * unit(rng)) * 1000.0) / 1000.0;
            // Intra-operator runs are usually, not always, faster.
            op.intraLatency = std::round(op.latency * (0.2 + 1.0 * unit(rng)) * 1000.0) / 1000.0;
        }
        if (op.kind == ScheduleOpKind::Collective)
            op.intraLatency = op.latency;
        op.energy = op.latency;
        op.intraEnergy = op.intraLatency * 1.5;
        p.ops.push_back(op);
    }
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j)
            if (unit(rng) < spec.edgeProbability)
                p.edges.emplace_back(i, j);
    return p;
}

} // namespace phaze::testing
