#pragma once

// Helpers shared by the placement tests: loading instances, random small instances and an
// exhaustive reference that tries every stage partition (every chain of nested downsets),
// every data-parallel degree and every width, scored with evaluatePlacement().

#include <QtTest>

#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/io/phazejson.h"
#include "core/placement/layerdag.h"
#include "core/placement/placement.h"
#include "core/placement/placementevaluator.h"

namespace phaze::testing {

inline PlacementInput loadInstance(const std::string &relative)
{
    Diagnostics errors;
    auto in = loadPhazeInput(std::string(PHAZE_TEST_DATA_DIR) + "/" + relative, errors);
    if (!in) {
        for (const Diagnostic &d : errors)
            qWarning("%s", d.format().c_str());
        qFatal("cannot load %s", relative.c_str());
    }
    return *in;
}

// A random chain (or, with branching, a random DAG over the chain's order) of n layers, with
// widths 1 and 2. A layer has at most two inputs of at most 100 bytes and keeps at least 200
// bytes of activations, so a stage's input bytes never exceed its activation bytes (true of
// real layers, whose stashed activations include what their input produces) and
// recomputation can never cost memory.
inline PlacementInput randomInstance(std::mt19937 &rng, int n, bool branching)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    PlacementInput in;
    in.devices = 1 + int(rng() % 8);
    in.microbatches = 1 + int(rng() % 12);
    in.bandwidth = 1000.0;
    in.memoryPerDevice = 3000.0 + 9000.0 * u(rng);
    in.recomputation = rng() % 2;
    in.optimizer = rng() % 2 ? Optimizer::Adam : Optimizer::Sgd;
    std::vector<std::pair<int, int>> edges;
    for (int v = 1; v < n; ++v) {
        edges.emplace_back(v - 1, v);
        if (branching && v >= 2 && rng() % 3 == 0)
            edges.emplace_back(int(rng() % unsigned(v - 1)), v);
    }
    std::vector<bool> tp(static_cast<std::size_t>(n));
    for (int v = 0; v < n; ++v)
        tp[std::size_t(v)] = rng() % 3 != 0;
    for (int t : {1, 2}) {
        PlacementGraph g;
        g.tensorParallelWidth = t;
        for (int v = 0; v < n; ++v) {
            PlacementLayer l;
            l.id = v - 1; // PHAZE-style: an embedding at -1
            const bool sliced = t > 1 && tp[std::size_t(v)];
            const double scale = sliced ? 0.5 + 0.2 * u(rng) : 1.0;
            l.parameterBytes = 100.0 + 1500.0 * u(rng) * (sliced ? 0.5 : 1.0);
            l.activationBytes = 200.0 + 400.0 * u(rng);
            l.forward = (0.5 + 3.0 * u(rng)) * scale;
            l.backward = 2.0 * l.forward * (0.8 + 0.4 * u(rng));
            l.tensorParallel = sliced;
            g.layers.push_back(l);
        }
        for (auto [a, b] : edges)
            g.edges.push_back({a - 1, b - 1, 100.0 * u(rng)});
        in.graphs.push_back(g);
    }
    return in;
}

struct BruteForce {
    bool found = false;
    double timePerBatch = std::numeric_limits<double>::infinity();
    int dataParallel = 0, tensorParallel = 0;
};

// Every chain of nested downsets of a DAG with at most 16 layers.
inline void forEachPartition(const LayerDag &dag,
                             const std::function<void(const std::vector<std::vector<int>> &)> &f)
{
    const int n = dag.size();
    std::vector<std::uint32_t> downsets;
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
        bool closed = true;
        for (int v = 0; v < n && closed; ++v) {
            if (!((mask >> v) & 1))
                continue;
            for (const DagEdge *e = dag.outBegin(v); e != dag.outEnd(v); ++e)
                closed = closed && ((mask >> e->node) & 1);
        }
        if (closed)
            downsets.push_back(mask);
    }
    // Stages are built from the end: the last stage is the first downset added.
    std::vector<std::vector<int>> stagesFromEnd;
    std::function<void(std::uint32_t)> grow = [&](std::uint32_t have) {
        if (have == (1u << n) - 1) {
            std::vector<std::vector<int>> stages(stagesFromEnd.rbegin(), stagesFromEnd.rend());
            f(stages);
            return;
        }
        for (std::uint32_t d : downsets) {
            if ((d & have) != have || d == have)
                continue;
            std::vector<int> stage;
            for (int v = 0; v < n; ++v) {
                if (((d & ~have) >> v) & 1)
                    stage.push_back(dag.externalId(v));
            }
            stagesFromEnd.push_back(stage);
            grow(d);
            stagesFromEnd.pop_back();
        }
    };
    grow(0);
}

inline BruteForce bruteForce(const PlacementInput &in, PipelineSchedule schedule)
{
    BruteForce best;
    for (const PlacementGraph &g : in.graphs) {
        LayerDag dag;
        if (!LayerDag::build(g, dag).empty())
            continue;
        forEachPartition(dag, [&](const std::vector<std::vector<int>> &stages) {
            std::vector<StagePlan> plan;
            for (const std::vector<int> &s : stages) {
                bool tp = false;
                for (int id : s)
                    tp = tp || dag.layer(dag.indexOf(id)).tensorParallel;
                plan.push_back({s, tp ? g.tensorParallelWidth : 1});
            }
            for (int d = 1; d <= std::min(in.devices, in.microbatches); ++d) {
                const Result<Placement> r =
                    evaluatePlacement(in, schedule, g.tensorParallelWidth, plan, d);
                if (r.hasValue() && r.value->timePerBatch < best.timePerBatch) {
                    best = {true, r.value->timePerBatch, d, g.tensorParallelWidth};
                }
            }
        });
    }
    return best;
}

} // namespace phaze::testing
