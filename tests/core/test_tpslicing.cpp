// Megatron tensor-parallel slicing of the transformer graphs (algorithms.md §1): parameter
// split, GEMM shapes, the f/g collectives forward and backward, FLOPs, edges and input checks.

#include <QtTest>

#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;

namespace {

ModelGraph build(const std::string &key, int t, bool fusion = false, int b = 1, int s = 0)
{
    GraphBuildOptions options;
    options.tensorParallel = t;
    options.fusion = fusion;
    options.microbatch = b;
    options.sequence = s;
    Result<ModelGraph> result = buildTransformer(*findZooModel(key), options);
    if (!result.ok()) {
        qFatal("cannot build %s: %s", key.c_str(), result.message.c_str());
    }
    return std::move(*result.value);
}

int find(const OperatorDag &dag, const std::string &name)
{
    for (std::size_t i = 0; i < dag.ops.size(); ++i) {
        if (dag.ops[i].name == name) {
            return int(i);
        }
    }
    return -1;
}

int countParts(const OperatorDag &dag, OpKind kind)
{
    int count = 0;
    for (const Operator &op : dag.ops) {
        for (const PrimitiveOp &part : op.parts) {
            count += part.kind == kind ? 1 : 0;
        }
    }
    return count;
}

std::vector<std::string> names(const OperatorDag &dag, const std::vector<int> &indices)
{
    std::vector<std::string> result;
    for (int i : indices) {
        result.push_back(dag.ops[i].name);
    }
    std::sort(result.begin(), result.end());
    return result;
}

double gemmFlops(const OperatorDag &dag)
{
    double total = 0.0;
    for (const Operator &op : dag.ops) {
        for (const PrimitiveOp &part : op.parts) {
            total += isGemmKind(part.kind) ? part.flops() : 0.0;
        }
    }
    return total;
}

void addZooRows()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("t");
    for (const TransformerSpec &spec : modelZoo()) {
        if (spec.hasExperts())
            continue; // dense blocks by the textbook; expert blocks in test_experts
        for (int t : spec.tensorParallelWidths) {
            const std::string row = spec.key + " t=" + std::to_string(t);
            QTest::newRow(row.c_str()) << QString::fromStdString(spec.key) << t;
        }
    }
}

} // namespace

class TestTpSlicing : public QObject
{
    Q_OBJECT

private slots:
    void blockParametersSplitExactly_data();
    void blockParametersSplitExactly();
    void columnAndRowParallelShapes_data();
    void columnAndRowParallelShapes();
    void collectivesAroundParallelGemms_data();
    void collectivesAroundParallelGemms();
    void backwardCollectives_data();
    void backwardCollectives();
    void gemmBackwardShapes();
    void gptBlockGemmFlops_data();
    void gptBlockGemmFlops();
    void vocabularyParallelEnds_data();
    void vocabularyParallelEnds();
    void layerEdgesCarryHiddenState_data();
    void layerEdgesCarryHiddenState();
    void layerSequence();
    void invalidOptions_data();
    void invalidOptions();
};

void TestTpSlicing::blockParametersSplitExactly_data()
{
    addZooRows();
}

void TestTpSlicing::blockParametersSplitExactly()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    const TransformerSpec &spec = *findZooModel(model.toStdString());
    const ModelGraph wholeGraph = build(spec.key, 1);
    const ModelGraph sliceGraph = build(spec.key, t);
    const LayerBody &whole = *wholeGraph.layers[1].body;
    const LayerBody &slice = *sliceGraph.layers[1].body;
    QCOMPARE(whole.shardedParameters + whole.replicatedParameters, whole.sliceParameters());
    QCOMPARE(slice.shardedParameters * t + slice.replicatedParameters, whole.sliceParameters());
    QCOMPARE(slice.replicatedParameters, whole.replicatedParameters);
    QCOMPARE(slice.parameterBytes, slice.sliceParameters() * 2);
    // The textbook count of a block: 4h^2 (+4h) attention, 2hf or 3hf (+f+h) FFN, norms; with
    // grouped-query attention K and V are h x kv_width each, kv_width = kv x h / a.
    const std::int64_t h = spec.hidden;
    const std::int64_t f = spec.ffn;
    const std::int64_t kv = spec.keyValueHeads() * (h / spec.heads);
    const bool swiglu = spec.activation == ActivationKind::SwiGLU;
    const std::int64_t norms = spec.norm == NormKind::LayerNorm ? 4 * h : 2 * h;
    const std::int64_t biases = spec.bias ? (h + 2 * kv) + h + f + h : 0;
    QCOMPARE(whole.sliceParameters(),
             2 * h * h + 2 * h * kv + (swiglu ? 3 : 2) * h * f + biases + norms);
}

void TestTpSlicing::columnAndRowParallelShapes_data()
{
    addZooRows();
}

void TestTpSlicing::columnAndRowParallelShapes()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    const TransformerSpec &spec = *findZooModel(model.toStdString());
    const ModelGraph graph = build(spec.key, t);
    const OperatorDag &dag = graph.layers[1].body->forward;
    const std::int64_t tokens = std::int64_t(spec.sequence);
    const std::int64_t h = spec.hidden;
    const bool swiglu = spec.activation == ActivationKind::SwiGLU;

    // Q is h wide, K and V kv x h / a each (h without grouped-query attention), all split by t.
    const std::int64_t qkvWidth =
        (h + 2 * spec.keyValueHeads() * (h / spec.heads)) / t;
    const int qkv = find(dag, "attn.qkv");
    QVERIFY(qkv >= 0);
    QCOMPARE(dag.ops[qkv].parts[0].gemm, (GemmShape{1, tokens, h, qkvWidth}));
    QCOMPARE(dag.ops[find(dag, "attn.proj")].parts[0].gemm, (GemmShape{1, tokens, h / t, h}));
    const int fc1 = find(dag, swiglu ? "mlp.gate" : "mlp.fc1");
    const int fc2 = find(dag, swiglu ? "mlp.down" : "mlp.fc2");
    QCOMPARE(dag.ops[fc1].parts[0].gemm, (GemmShape{1, tokens, h, spec.ffn / t}));
    QCOMPARE(dag.ops[fc2].parts[0].gemm, (GemmShape{1, tokens, spec.ffn / t, h}));
    // Heads are divided by t: batch b * a/t of (s x d) x (d x s).
    const std::int64_t d = h / spec.heads;
    QCOMPARE(dag.ops[find(dag, "attn.scores")].parts[0].gemm,
             (GemmShape{spec.heads / t, tokens, d, tokens}));
    QCOMPARE(dag.ops[find(dag, "attn.context")].parts[0].gemm,
             (GemmShape{spec.heads / t, tokens, tokens, d}));
    const std::int64_t qkvWeights = h * qkvWidth + (spec.bias ? qkvWidth : 0);
    QCOMPARE(dag.ops[qkv].parts[0].weightBytes, qkvWeights * 2);
}

void TestTpSlicing::collectivesAroundParallelGemms_data()
{
    addZooRows();
}

void TestTpSlicing::collectivesAroundParallelGemms()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    const TransformerSpec &spec = *findZooModel(model.toStdString());
    for (bool fusion : {false, true}) {
        const ModelGraph graph = build(spec.key, t, fusion);
        const OperatorDag &dag = graph.layers[1].body->forward;
        const bool parallel = t > 1;
        QCOMPARE(countParts(dag, OpKind::AllReduce), parallel ? 2 : 0);
        QCOMPARE(countParts(dag, OpKind::TpIdentity), parallel ? 2 : 0);
        if (!parallel) {
            continue;
        }
        const auto succ = dag.successors();
        const auto pred = dag.predecessors();
        const bool swiglu = spec.activation == ActivationKind::SwiGLU;
        const int attnG = find(dag, "attn.g");
        const int mlpG = find(dag, "mlp.g");
        QCOMPARE(names(dag, pred[attnG]), std::vector<std::string>{"attn.proj"});
        QCOMPARE(names(dag, pred[mlpG]), std::vector<std::string>{swiglu ? "mlp.down" : "mlp.fc2"});
        QCOMPARE(names(dag, succ[find(dag, "attn.f")]), std::vector<std::string>{"attn.qkv"});
        const std::vector<std::string> mlpIn =
            swiglu ? std::vector<std::string>{fusion ? "mlp.gate+mlp.silu" : "mlp.gate", "mlp.up"}
                   : std::vector<std::string>{fusion ? "mlp.fc1+mlp.act" : "mlp.fc1"};
        QCOMPARE(names(dag, succ[find(dag, "mlp.f")]), mlpIn);
        for (int op : {attnG, mlpG, find(dag, "attn.f"), find(dag, "mlp.f")}) {
            const PrimitiveOp &part = dag.ops[op].parts[0];
            QCOMPARE(part.group, t);
            QCOMPARE(part.elements, std::int64_t(spec.sequence) * spec.hidden);
            QCOMPARE(part.outputBytes, std::int64_t(spec.sequence) * spec.hidden * 2);
        }
    }
}

void TestTpSlicing::backwardCollectives_data()
{
    addZooRows();
}

void TestTpSlicing::backwardCollectives()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    const ModelGraph graph = build(model.toStdString(), t);
    const OperatorDag &forward = graph.layers[1].body->forward;
    const OperatorDag backward = backwardDag(forward);
    QCOMPARE(backward.ops.size(), forward.ops.size());
    QVERIFY(backward.isAcyclic());
    // f becomes the all-reduce of the input gradient; g's backward is the identity.
    QCOMPARE(countParts(backward, OpKind::AllReduce), t > 1 ? 2 : 0);
    QCOMPARE(countParts(backward, OpKind::TpIdentity), 0);
    if (t > 1) {
        const PrimitiveOp &f = backward.ops[find(forward, "attn.f")].parts[0];
        QCOMPARE(f.kind, OpKind::AllReduce);
        QCOMPARE(f.group, t);
        QVERIFY(f.backward);
        QCOMPARE(backward.ops[find(forward, "attn.g")].coreClass(), CoreClass::None);
        QCOMPARE(backward.ops[find(forward, "mlp.g")].flops(), 0.0);
    }
    for (const Operator &op : backward.ops) {
        for (const PrimitiveOp &part : op.parts) {
            QVERIFY(part.backward);
        }
    }
    // Each GEMM doubles, vector work stays: backward = 2 x GEMM + vector FLOPs.
    const double gemm = gemmFlops(forward);
    QCOMPARE(gemmFlops(backward), 2.0 * gemm);
    QCOMPARE(backward.flops() - gemmFlops(backward), forward.flops() - gemm);
    QCOMPARE(graph.layers[1].body->flopsBackward, backward.flops());
}

void TestTpSlicing::gemmBackwardShapes()
{
    // gpt3-175b, t = 8, b = 1, s = 2048: qkv is (1, 2048, 12288, 4608).
    const ModelGraph graph = build("gpt3-175b", 8);
    const OperatorDag &forward = graph.layers[1].body->forward;
    const int qkv = find(forward, "attn.qkv");
    QCOMPARE(forward.ops[qkv].parts[0].gemm, (GemmShape{1, 2048, 12288, 4608}));
    const Operator bwd = backwardOperator(forward.ops[qkv]);
    QCOMPARE(bwd.parts.size(), std::size_t(2));
    QCOMPARE(bwd.parts[0].gemm, (GemmShape{1, 2048, 4608, 12288}));
    QCOMPARE(bwd.parts[1].gemm, (GemmShape{1, 12288, 2048, 4608}));
    QCOMPARE(bwd.flops(), 2.0 * forward.ops[qkv].flops());
    QCOMPARE(backwardDag(forward).ops[qkv], bwd);
}

void TestTpSlicing::gptBlockGemmFlops_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("t");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("s");
    QTest::newRow("gpt2-xl") << "gpt2-xl" << 1 << 1 << 1024;
    QTest::newRow("gpt2-xl b=4 s=256") << "gpt2-xl" << 1 << 4 << 256;
    QTest::newRow("megatron-gpt2-2.5b t=4") << "megatron-gpt2-2.5b" << 4 << 2 << 1024;
    QTest::newRow("megatron-gpt2-8.3b t=8") << "megatron-gpt2-8.3b" << 8 << 1 << 512;
    QTest::newRow("gpt3-175b t=8") << "gpt3-175b" << 8 << 1 << 2048;
}

void TestTpSlicing::gptBlockGemmFlops()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    QFETCH(int, b);
    QFETCH(int, s);
    const TransformerSpec &spec = *findZooModel(model.toStdString());
    const double h = spec.hidden;
    const double f = spec.ffn;
    const double tokens = double(b) * s;
    const double expected =
        2.0 * tokens * (3 * h * h + h * h + 2 * h * f) / t + 4.0 * b * double(s) * s * h / t;
    for (bool fusion : {false, true}) {
        const ModelGraph graph = build(spec.key, t, fusion, b, s);
        QCOMPARE(gemmFlops(graph.layers[1].body->forward), expected);
    }
}

void TestTpSlicing::vocabularyParallelEnds_data()
{
    addZooRows();
}

void TestTpSlicing::vocabularyParallelEnds()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    const TransformerSpec &spec = *findZooModel(model.toStdString());
    const ModelGraph graph = build(spec.key, t);
    const std::int64_t width = spec.embeddingDim > 0 ? spec.embeddingDim : spec.hidden;
    const std::int64_t rows = (spec.vocab + t - 1) / t;
    const LayerBody &embedding = *graph.layers.front().body;
    const LayerBody &head = *graph.layers.back().body;
    QCOMPARE(embedding.shardedParameters, rows * width);
    QCOMPARE(head.tiedParameters, spec.tiedHead ? rows * width : 0);
    const OperatorDag &headDag = head.forward;
    const PrimitiveOp &lm = headDag.ops[find(headDag, "head.lm")].parts[0];
    QCOMPARE(lm.gemm, (GemmShape{1, spec.sequence, width, rows}));
    QCOMPARE(countParts(embedding.forward, OpKind::AllReduce), t > 1 ? 1 : 0);
    QCOMPARE(countParts(headDag, OpKind::AllReduce), t > 1 ? 1 : 0);
    QCOMPARE(countParts(headDag, OpKind::TpIdentity), t > 1 ? 1 : 0);
    if (t > 1) {
        // Vocabulary-parallel softmax statistics: 2 values per token.
        const int reduce = find(headDag, "head.all_reduce");
        QCOMPARE(headDag.ops[reduce].parts[0].elements, 2 * std::int64_t(spec.sequence));
    }
    // Padding rows of a vocabulary that t does not divide are real (Megatron pads too).
    const ModelGraph whole = build(spec.key, spec.tensorParallelWidths.front());
    const std::int64_t padding = rows * t - spec.vocab;
    const std::int64_t wholePadding = (spec.vocab + spec.tensorParallelWidths.front() - 1) /
                                          spec.tensorParallelWidths.front() *
                                          spec.tensorParallelWidths.front() -
                                      spec.vocab;
    const std::int64_t perRow = width + (spec.bertHeads ? 1 : 0) + (spec.tiedHead ? 0 : width);
    QCOMPARE(graph.totalParameters() - whole.totalParameters(), (padding - wholePadding) * perRow);
}

void TestTpSlicing::layerEdgesCarryHiddenState_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("t");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("s");
    QTest::newRow("gpt2-xl b=1") << "gpt2-xl" << 1 << 1 << 0;
    QTest::newRow("gpt2-xl b=8 s=128") << "gpt2-xl" << 1 << 8 << 128;
    QTest::newRow("opt-350m") << "opt-350m" << 1 << 2 << 0;
    QTest::newRow("gpt3-175b t=8") << "gpt3-175b" << 8 << 1 << 0;
    QTest::newRow("megatron-bert t=4") << "megatron-bert" << 4 << 3 << 512;
}

void TestTpSlicing::layerEdgesCarryHiddenState()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    QFETCH(int, b);
    QFETCH(int, s);
    const TransformerSpec &spec = *findZooModel(model.toStdString());
    const ModelGraph graph = build(spec.key, t, true, b, s);
    const std::int64_t sequence = s == 0 ? spec.sequence : s;
    QCOMPARE(graph.options.sequence, int(sequence));
    QCOMPARE(graph.edges.size(), graph.layers.size() - 1);
    for (const LayerEdge &edge : graph.edges) {
        QCOMPARE(edge.target, edge.source + 1);
        QCOMPARE(edge.bytes, std::int64_t(b) * sequence * spec.hidden * 2);
    }
    for (const Layer &layer : graph.layers) {
        QCOMPARE(layer.tensorParallel, t > 1);
    }
}

void TestTpSlicing::layerSequence()
{
    const ModelGraph graph = build("megatron-gpt2-2.5b", 4);
    QCOMPARE(graph.layers.size(), std::size_t(54 + 2));
    QCOMPARE(graph.transformerBlocks, 54);
    QCOMPARE(graph.layers.front().name, std::string("embedding"));
    QCOMPARE(graph.layers.front().externalId, -1);
    QCOMPARE(graph.layers.front().kind, LayerKind::Embedding);
    QCOMPARE(graph.layers[1].name, std::string("block.0"));
    QCOMPARE(graph.layers[54].name, std::string("block.53"));
    QCOMPARE(graph.layers[54].externalId, 53);
    QCOMPARE(graph.layers[54].kind, LayerKind::TransformerBlock);
    QCOMPARE(graph.layers.back().name, std::string("head"));
    QCOMPARE(graph.layers.back().externalId, 54);
    QCOMPARE(graph.layers.back().kind, LayerKind::Head);
    for (std::size_t i = 0; i < graph.layers.size(); ++i) {
        QCOMPARE(graph.layers[i].id, int(i));
    }
    QVERIFY(graph.isChain());
    std::vector<int> identity(graph.layers.size());
    std::iota(identity.begin(), identity.end(), 0);
    QCOMPARE(graph.topologicalOrder(), identity);
}

void TestTpSlicing::invalidOptions_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("t");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("s");
    QTest::addColumn<int>("ffn"); // overrides the model's FFN size when > 0
    QTest::addColumn<QString>("message");
    QTest::newRow("t does not divide 25 heads")
        << "gpt2-xl" << 2 << 1 << 0 << 0 << "t=2 does not divide the attention heads 25";
    QTest::newRow("t does not divide 20 heads")
        << "megatron-gpt2-2.5b" << 8 << 1 << 0 << 0 << "t=8 does not divide the attention heads 20";
    QTest::newRow("t does not divide ffn")
        << "llama2-7b" << 8 << 1 << 0 << 11004 << "t=8 does not divide the FFN size 11004";
    QTest::newRow("t = 0") << "gpt2-xl" << 0 << 1 << 0 << 0 << "t=0 must be at least 1";
    QTest::newRow("b = 0") << "gpt2-xl" << 1 << 0 << 0 << 0 << "microbatch b=0 must be at least 1";
    QTest::newRow("s < 0") << "gpt2-xl" << 1 << 1 << -4 << 0 << "sequence length s=-4";
    QTest::newRow("s beyond learned positions")
        << "gpt2-xl" << 1 << 1 << 2048 << 0 << "s=2048 exceeds the 1024 learned positions";
}

void TestTpSlicing::invalidOptions()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    QFETCH(int, b);
    QFETCH(int, s);
    QFETCH(int, ffn);
    QFETCH(QString, message);
    GraphBuildOptions options;
    options.tensorParallel = t;
    options.microbatch = b;
    options.sequence = s;
    TransformerSpec spec = *findZooModel(model.toStdString());
    if (ffn > 0) {
        spec.ffn = ffn;
    }
    const Result<ModelGraph> result = buildTransformer(spec, options);
    QCOMPARE(result.status, Status::Error);
    QVERIFY(!result.hasValue());
    const QString actual = QString::fromStdString(result.message);
    QVERIFY2(actual.contains(message), qPrintable(actual));
    QVERIFY2(actual.contains(model), qPrintable(actual)); // the message names the model
}

QTEST_APPLESS_MAIN(TestTpSlicing)
#include "test_tpslicing.moc"
