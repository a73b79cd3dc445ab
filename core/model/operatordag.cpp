#include "core/model/operatordag.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <queue>

namespace phaze {

namespace {

bool validEdge(const std::pair<int, int> &edge, std::size_t count)
{
    return edge.first >= 0 && edge.second >= 0 && std::size_t(edge.first) < count &&
           std::size_t(edge.second) < count;
}

// Kahn's algorithm taking the lowest ready index first, so that an order that is already
// topological comes back unchanged and results are deterministic.
void sortUnique(std::vector<std::pair<int, int>> &edges)
{
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
}

// Bytes per element of a primitive, recovered from its output so that the backward parts use
// the same precision without the caller passing it in.
std::int64_t bytesPerElementOf(const PrimitiveOp &op)
{
    std::int64_t elements = 0;
    if (isGemmKind(op.kind)) {
        elements = op.gemm.batch * op.gemm.m * op.gemm.n;
    } else {
        elements = op.elements;
    }
    return elements > 0 ? op.outputBytes / elements : 0;
}

bool isViewLike(const Operator &op)
{
    if (op.parts.empty()) {
        return false;
    }
    for (const PrimitiveOp &part : op.parts) {
        if (part.kind != OpKind::View && part.kind != OpKind::Transpose &&
            part.kind != OpKind::Split && part.kind != OpKind::Concat) {
            return false;
        }
    }
    return true;
}

bool canAbsorb(const Operator &op)
{
    if (op.keepsIntermediates())
        return false; // its HBM traffic is its own: an absorbed part would not be counted
    const CoreClass core = op.coreClass();
    return core == CoreClass::TC || core == CoreClass::VC || core == CoreClass::TCVC;
}

bool isPureVector(const Operator &op)
{
    if (op.parts.empty()) {
        return false;
    }
    return std::all_of(op.parts.begin(), op.parts.end(),
                       [](const PrimitiveOp &part) { return isVectorKind(part.kind); });
}

void appendNumber(std::string &out, std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

} // namespace

std::vector<int> topologicalOrderOf(const std::vector<std::vector<int>> &successors)
{
    const int count = int(successors.size());
    std::vector<int> inDegree(count, 0);
    for (const auto &targets : successors) {
        for (int target : targets) {
            ++inDegree[target];
        }
    }
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (int i = 0; i < count; ++i) {
        if (inDegree[i] == 0) {
            ready.push(i);
        }
    }
    std::vector<int> order;
    order.reserve(count);
    while (!ready.empty()) {
        const int node = ready.top();
        ready.pop();
        order.push_back(node);
        for (int target : successors[node]) {
            if (--inDegree[target] == 0) {
                ready.push(target);
            }
        }
    }
    if (int(order.size()) != count) {
        return {};
    }
    return order;
}

std::vector<std::vector<int>> OperatorDag::successors() const
{
    std::vector<std::vector<int>> result(ops.size());
    for (const auto &edge : edges) {
        if (validEdge(edge, ops.size())) {
            result[edge.first].push_back(edge.second);
        }
    }
    return result;
}

std::vector<std::vector<int>> OperatorDag::predecessors() const
{
    std::vector<std::vector<int>> result(ops.size());
    for (const auto &edge : edges) {
        if (validEdge(edge, ops.size())) {
            result[edge.second].push_back(edge.first);
        }
    }
    return result;
}

std::vector<int> OperatorDag::topologicalOrder() const
{
    return topologicalOrderOf(successors());
}

double OperatorDag::flops() const
{
    double total = 0.0;
    for (const Operator &op : ops) {
        total += op.flops();
    }
    return total;
}

void appendBackwardParts(const PrimitiveOp &forward, std::vector<PrimitiveOp> &out)
{
    const std::int64_t bytes = bytesPerElementOf(forward);
    if (isGemmKind(forward.kind)) {
        const GemmShape &s = forward.gemm;
        const bool weightOperand = forward.kind == OpKind::Linear;
        // Data gradient dA = dC x B^T: reads dC and B (the weights, for a linear layer).
        PrimitiveOp data;
        data.kind = forward.kind;
        data.backward = true;
        data.gemm = GemmShape{s.batch, s.m, s.n, s.k};
        data.inputBytes =
            s.batch * s.m * s.n * bytes + (weightOperand ? 0 : s.batch * s.k * s.n * bytes);
        data.weightBytes = weightOperand ? forward.weightBytes : 0;
        data.outputBytes = s.batch * s.m * s.k * bytes;
        out.push_back(data);
        // Weight (or second operand) gradient dB = A^T x dC: reads A and dC.
        PrimitiveOp weight;
        weight.kind = forward.kind;
        weight.backward = true;
        weight.gemm = GemmShape{s.batch, s.k, s.m, s.n};
        weight.inputBytes = (s.batch * s.m * s.k + s.batch * s.m * s.n) * bytes;
        weight.outputBytes = s.batch * s.k * s.n * bytes;
        out.push_back(weight);
        return;
    }
    if (isVectorKind(forward.kind)) {
        PrimitiveOp op = forward;
        op.backward = true;
        std::swap(op.inputBytes, op.outputBytes);
        out.push_back(op);
        return;
    }
    switch (forward.kind) {
    case OpKind::AllReduce:
        // Megatron's "g": the backward of a row-parallel all-reduce is the identity.
        return;
    case OpKind::TpIdentity: {
        // Megatron's "f": identity forward, all-reduce of the input gradient backward.
        PrimitiveOp op;
        op.kind = OpKind::AllReduce;
        op.backward = true;
        op.elements = forward.elements;
        op.group = forward.group;
        op.inputBytes = forward.elements * bytes;
        op.outputBytes = forward.elements * bytes;
        out.push_back(op);
        return;
    }
    case OpKind::Embedding: {
        PrimitiveOp op;
        op.kind = OpKind::EmbeddingGrad;
        op.backward = true;
        op.elements = forward.elements;
        op.inputBytes = forward.outputBytes;
        op.outputBytes = forward.inputBytes;
        out.push_back(op);
        return;
    }
    default: {
        PrimitiveOp op = forward;
        op.backward = true;
        std::swap(op.inputBytes, op.outputBytes);
        out.push_back(op);
        return;
    }
    }
}

Operator backwardOperator(const Operator &forward)
{
    Operator op;
    op.name = forward.name + ".bwd";
    if (forward.keepsIntermediates()) {
        // Nothing between its parts was stored: the backward replays the forward parts before
        // the last GEMM (FlashAttention recomputes the scores and the softmax), then runs the
        // gradients. It reads what the forward read and wrote plus the output's gradient and
        // writes the inputs' gradients: twice the forward's traffic.
        std::size_t lastGemm = 0;
        for (std::size_t i = 0; i < forward.parts.size(); ++i)
            if (isGemmKind(forward.parts[i].kind))
                lastGemm = i;
        op.parts.insert(op.parts.end(), forward.parts.begin(),
                        forward.parts.begin() + std::ptrdiff_t(lastGemm));
        op.fusedHbmBytes = 2 * forward.fusedHbmBytes;
    }
    // A fused operator runs its parts in reverse order backward (epilogue gradient first).
    for (auto it = forward.parts.rbegin(); it != forward.parts.rend(); ++it) {
        appendBackwardParts(*it, op.parts);
    }
    if (op.parts.empty()) {
        // Keep the node (and the DAG's shape) as a zero-cost placeholder.
        PrimitiveOp view;
        view.kind = OpKind::View;
        view.backward = true;
        op.parts.push_back(view);
    }
    return op;
}

// Operator i of the backward DAG is the backward of forward operator i, so the two DAGs can be
// matched index by index; the index order is therefore the reverse of a topological order.
OperatorDag backwardDag(const OperatorDag &forward)
{
    OperatorDag dag;
    dag.ops.reserve(forward.ops.size());
    for (const Operator &op : forward.ops) {
        dag.ops.push_back(backwardOperator(op));
    }
    dag.edges.reserve(forward.edges.size());
    for (const auto &[from, to] : forward.edges) {
        dag.edges.emplace_back(to, from);
    }
    sortUnique(dag.edges);
    return dag;
}

OperatorDag fuseOperators(const OperatorDag &dag)
{
    const int count = int(dag.ops.size());
    const std::vector<int> order = dag.topologicalOrder();
    if (count == 0 || order.empty()) {
        return dag; // nothing to fuse, or a cycle that fusion must not hide
    }

    std::vector<Operator> ops = dag.ops;
    std::vector<bool> alive(count, true);
    std::vector<std::vector<int>> succ(count);
    std::vector<std::vector<int>> pred(count);
    for (const auto &edge : dag.edges) {
        if (validEdge(edge, dag.ops.size()) && edge.first != edge.second) {
            succ[edge.first].push_back(edge.second);
            pred[edge.second].push_back(edge.first);
        }
    }
    auto dedupe = [](std::vector<int> &list) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    };
    auto erase = [](std::vector<int> &list, int value) {
        list.erase(std::remove(list.begin(), list.end(), value), list.end());
    };
    for (int i = 0; i < count; ++i) {
        dedupe(succ[i]);
        dedupe(pred[i]);
    }

    // 1. Contract zero-cost view-like operators that sit between two others: they only re-index
    //    a tensor, so their consumers can read the producer directly.
    for (int node : order) {
        if (!isViewLike(ops[node]) || pred[node].empty() || succ[node].empty()) {
            continue;
        }
        for (int p : pred[node]) {
            erase(succ[p], node);
            for (int s : succ[node]) {
                succ[p].push_back(s);
            }
            dedupe(succ[p]);
        }
        for (int s : succ[node]) {
            erase(pred[s], node);
            for (int p : pred[node]) {
                pred[s].push_back(p);
            }
            dedupe(pred[s]);
        }
        succ[node].clear();
        pred[node].clear();
        alive[node] = false;
    }

    // 2. Absorb element-wise successors into GEMM or vector operators. Requiring a single edge
    //    between the two (one successor, one predecessor) keeps the DAG acyclic and keeps every
    //    other input of the fused operator on its first part. Collectives and no-ops never fuse.
    bool changed = true;
    while (changed) {
        changed = false;
        for (int u : order) {
            if (!alive[u] || !canAbsorb(ops[u])) {
                continue;
            }
            while (succ[u].size() == 1) {
                const int v = succ[u].front();
                if (pred[v].size() != 1 || !isPureVector(ops[v])) {
                    break;
                }
                ops[u].name += "+" + ops[v].name;
                ops[u].parts.insert(ops[u].parts.end(), ops[v].parts.begin(), ops[v].parts.end());
                succ[u] = succ[v];
                for (int s : succ[v]) {
                    std::replace(pred[s].begin(), pred[s].end(), v, u);
                    dedupe(pred[s]);
                }
                succ[v].clear();
                pred[v].clear();
                alive[v] = false;
                changed = true;
            }
        }
    }

    // Renumber the survivors in a topological order of the fused graph.
    std::vector<int> survivors;
    std::vector<int> compact(count, -1);
    for (int i = 0; i < count; ++i) {
        if (alive[i]) {
            compact[i] = int(survivors.size());
            survivors.push_back(i);
        }
    }
    std::vector<std::vector<int>> compactSucc(survivors.size());
    for (std::size_t i = 0; i < survivors.size(); ++i) {
        for (int s : succ[survivors[i]]) {
            compactSucc[i].push_back(compact[s]);
        }
    }
    const std::vector<int> fusedOrder = topologicalOrderOf(compactSucc);
    std::vector<int> position(survivors.size());
    for (std::size_t i = 0; i < fusedOrder.size(); ++i) {
        position[fusedOrder[i]] = int(i);
    }

    OperatorDag fused;
    fused.ops.reserve(survivors.size());
    for (int c : fusedOrder) {
        fused.ops.push_back(std::move(ops[survivors[c]]));
    }
    for (std::size_t i = 0; i < survivors.size(); ++i) {
        for (int s : compactSucc[i]) {
            fused.edges.emplace_back(position[i], position[s]);
        }
    }
    sortUnique(fused.edges);
    return fused;
}

std::string structuralKey(const OperatorDag &dag)
{
    std::string key;
    key.reserve(dag.ops.size() * 64 + dag.edges.size() * 8);
    for (const Operator &op : dag.ops) {
        key += '[';
        for (const PrimitiveOp &part : op.parts) {
            key += opKindName(part.kind);
            key += part.backward ? "'" : "";
            for (std::int64_t value :
                 {part.gemm.batch, part.gemm.m, part.gemm.k, part.gemm.n, part.elements,
                  part.inputBytes, part.outputBytes, part.weightBytes, std::int64_t(part.group)}) {
                key += ',';
                appendNumber(key, value);
            }
            key += ';';
        }
        if (op.keepsIntermediates()) { // only then, so that every other key is as it was
            key += 'H';
            appendNumber(key, op.fusedHbmBytes);
        }
        key += ']';
    }
    key += '#';
    for (const auto &[from, to] : dag.edges) {
        appendNumber(key, from);
        key += '>';
        appendNumber(key, to);
        key += ',';
    }
    return key;
}

} // namespace phaze
