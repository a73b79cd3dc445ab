#pragma once

// Fixtures shared by the system-model tests (header-only; Qt Test for the fatal error): an
// operator found by name, a training problem on DGX H100 nodes, and an estimate that must
// succeed.

#include <QtTest>

#include <string>

#include "core/cost/costmodel.h"
#include "core/model/modelzoo.h"
#include "core/model/operatordag.h"
#include "core/spec/clusterspec.h"
#include "core/system/trainingestimate.h"

namespace phaze::testsupport {

inline const Operator *findOperator(const OperatorDag &dag, const std::string &name)
{
    for (const Operator &op : dag.ops)
        if (op.name == name)
            return &op;
    return nullptr;
}

// A zoo model on H100 SXM5 80 GB chips in DGX H100 nodes, fused attention, the default recipe
// otherwise.
inline TrainingProblem onDgxH100(const std::string &model, ParallelLayout layout)
{
    TrainingProblem p;
    p.model = *findZooModel(model);
    p.chip = findAcceleratorPreset("h100-sxm5-80gb")->config;
    p.cluster = findClusterPreset("dgx-h100")->cluster;
    p.recipe.attention = AttentionKernel::Fused;
    p.layout = layout;
    return p;
}

// The system profile's estimate (execution effects on); a refused problem fails the test.
inline TrainingEstimate estimateOrFail(const TrainingProblem &p)
{
    const Result<TrainingEstimate> e =
        estimateTraining(p, CostModel::realistic(defaultTechnology()));
    if (!e.ok())
        qFatal("%s", e.message.c_str());
    return *e.value;
}

} // namespace phaze::testsupport
