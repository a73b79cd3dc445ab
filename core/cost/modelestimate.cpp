#include "core/cost/modelestimate.h"

namespace phaze {
namespace {

std::string partKinds(const Operator &op)
{
    std::string out;
    for (const PrimitiveOp &part : op.parts) {
        if (!out.empty())
            out += '+';
        out += opKindName(part.kind);
    }
    return out;
}

} // namespace

std::vector<OperatorEstimate> estimateModel(const ModelGraph &graph,
                                            const AcceleratorConfig &config, const CostModel &model)
{
    std::vector<OperatorEstimate> out;
    for (int index : graph.distinctLayers()) {
        const Layer &layer = graph.layers[std::size_t(index)];
        if (!layer.body)
            continue;
        const LayerCost cost = model.estimateLayer(*layer.body, config);
        const OperatorDag &forward = layer.body->forward;
        for (std::size_t i = 0; i < forward.ops.size(); ++i)
            out.push_back({layer.name, forward.ops[i].name, partKinds(forward.ops[i]), false,
                           cost.forwardOps[i]});
        // The backward DAG keeps the forward indices; list it in execution order.
        for (int i : cost.backward.topologicalOrder())
            out.push_back({layer.name, cost.backward.ops[std::size_t(i)].name,
                           partKinds(cost.backward.ops[std::size_t(i)]), true,
                           cost.backwardOps[std::size_t(i)]});
    }
    return out;
}

} // namespace phaze
