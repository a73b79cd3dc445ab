// Operator fusion (algorithms.md §1): view contraction, GEMM + element-wise epilogues, runs of
// element-wise operators, and what fusion must leave alone (collectives, FLOPs, activations).

#include <QtTest>

#include "core/model/modelzoo.h"
#include "core/model/operatordag.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;

Q_DECLARE_METATYPE(phaze::CoreClass)

namespace {

PrimitiveOp part(OpKind kind, std::int64_t elements = 64)
{
    PrimitiveOp op;
    op.kind = kind;
    if (isGemmKind(kind)) {
        op.gemm = GemmShape{1, 8, 8, 8};
    }
    op.elements = elements;
    op.inputBytes = elements * 2;
    op.outputBytes = elements * 2;
    return op;
}

// A chain of single-part operators named after their kinds.
OperatorDag chain(std::initializer_list<OpKind> kinds)
{
    OperatorDag dag;
    for (OpKind kind : kinds) {
        if (!dag.ops.empty()) {
            dag.edges.emplace_back(int(dag.ops.size()) - 1, int(dag.ops.size()));
        }
        dag.ops.push_back(Operator{std::string(opKindName(kind)), {part(kind)}, 0});
    }
    return dag;
}

LayerBody block(const ModelGraph &graph)
{
    return *graph.layers[1].body;
}

ModelGraph build(const char *key, int t, bool fusion)
{
    GraphBuildOptions options;
    options.tensorParallel = t;
    options.fusion = fusion;
    Result<ModelGraph> result = buildTransformer(*findZooModel(key), options);
    if (!result.ok()) {
        qFatal("cannot build %s: %s", key, result.message.c_str());
    }
    return std::move(*result.value);
}

bool inTopologicalOrder(const OperatorDag &dag)
{
    for (const auto &[from, to] : dag.edges) {
        if (from >= to) {
            return false;
        }
    }
    return std::is_sorted(dag.edges.begin(), dag.edges.end()) &&
           std::adjacent_find(dag.edges.begin(), dag.edges.end()) == dag.edges.end();
}

} // namespace

class TestFusion : public QObject
{
    Q_OBJECT

private slots:
    void blockOperatorCounts_data();
    void blockOperatorCounts();
    void gpt2BlockFusedOperators();
    void tensorParallelBlockFusedOperators();
    void fusionOffLeavesDagUnchanged();
    void fusionKeepsTotals_data();
    void fusionKeepsTotals();
    void elementwiseRunBecomesOneVectorOperator();
    void gemmAbsorbsElementwiseEpilogue();
    void gemmNeverJoinsPrecedingVector();
    void collectivesAndNoOpsNeverFuse();
    void branchesStopFusion();
    void viewsBetweenOperatorsAreContracted();
    void sourceViewIsKept();
    void fusionIsIdempotent();
};

void TestFusion::blockOperatorCounts_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("t");
    QTest::addColumn<int>("unfused");
    QTest::addColumn<int>("fused");
    // Pre-LN GPT block: input, ln1, qkv, split, scores, scale, mask, softmax, dropout, context,
    // merge, proj, dropout, add, ln2, fc1, gelu, fc2, dropout, add = 20 operators; fused:
    // input, ln1, qkv, scores+scale+mask+softmax+dropout, context, proj+dropout, add, ln2,
    // fc1+gelu, fc2+dropout, add = 11. With t > 1 the f/g operators add 4 and keep proj and fc2
    // apart from their dropouts.
    QTest::newRow("gpt2-xl") << "gpt2-xl" << 1 << 20 << 11;
    QTest::newRow("megatron-gpt2-8.3b t=1") << "megatron-gpt2-8.3b" << 1 << 20 << 11;
    QTest::newRow("megatron-gpt2-8.3b t=8") << "megatron-gpt2-8.3b" << 8 << 24 << 17;
    QTest::newRow("gpt3-175b t=4") << "gpt3-175b" << 4 << 24 << 17;
    // Post-LN: the residual add and the following norm also fuse.
    QTest::newRow("bert-large") << "bert-large" << 1 << 20 << 9;
    QTest::newRow("opt-350m") << "opt-350m" << 1 << 20 << 9;
    QTest::newRow("megatron-bert t=2") << "megatron-bert" << 2 << 24 << 17;
    // Llama: rotary, SwiGLU (gate, up, silu, mul, down), no dropout.
    QTest::newRow("llama2-7b") << "llama2-7b" << 1 << 20 << 14;
}

void TestFusion::blockOperatorCounts()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    QFETCH(int, unfused);
    QFETCH(int, fused);
    const ModelGraph on = build(model.toStdString().c_str(), t, true);
    const ModelGraph off = build(model.toStdString().c_str(), t, false);
    QCOMPARE(block(on).unfusedOperatorCount, unfused);
    QCOMPARE(int(block(on).forward.ops.size()), fused);
    QCOMPARE(block(off).unfusedOperatorCount, unfused);
    QCOMPARE(int(block(off).forward.ops.size()), unfused);
}

void TestFusion::gpt2BlockFusedOperators()
{
    const LayerBody body = block(build("gpt2-xl", 1, true));
    const std::pair<const char *, CoreClass> expected[] = {
        {"input", CoreClass::None},
        {"ln1", CoreClass::VC},
        {"attn.qkv", CoreClass::TC},
        {"attn.scores+attn.scale+attn.mask+attn.softmax+attn.dropout", CoreClass::TCVC},
        {"attn.context", CoreClass::TC},
        {"attn.proj+attn.out_dropout", CoreClass::TCVC},
        {"attn.residual", CoreClass::VC},
        {"ln2", CoreClass::VC},
        {"mlp.fc1+mlp.act", CoreClass::TCVC},
        {"mlp.fc2+mlp.dropout", CoreClass::TCVC},
        {"mlp.residual", CoreClass::VC},
    };
    QCOMPARE(body.forward.ops.size(), std::size(expected));
    for (std::size_t i = 0; i < std::size(expected); ++i) {
        QCOMPARE(body.forward.ops[i].name, std::string(expected[i].first));
        QCOMPARE(body.forward.ops[i].coreClass(), expected[i].second);
    }
    // The split feeding both attention GEMMs is contracted: qkv -> scores and qkv -> context.
    const std::vector<std::pair<int, int>> edges{{0, 1}, {0, 6}, {1, 2}, {2, 3}, {2, 4},
                                                 {3, 4}, {4, 5}, {5, 6}, {6, 7}, {6, 10},
                                                 {7, 8}, {8, 9}, {9, 10}};
    QCOMPARE(body.forward.edges, edges);
}

void TestFusion::tensorParallelBlockFusedOperators()
{
    const LayerBody body = block(build("megatron-gpt2-8.3b", 8, true));
    std::vector<std::string> names;
    for (const Operator &op : body.forward.ops) {
        names.push_back(op.name);
    }
    const std::vector<std::string> expected{
        "input",
        "ln1",
        "attn.f",
        "attn.qkv",
        "attn.scores+attn.scale+attn.mask+attn.softmax+attn.dropout",
        "attn.context",
        "attn.proj",
        "attn.g",
        "attn.out_dropout",
        "attn.residual",
        "ln2",
        "mlp.f",
        "mlp.fc1+mlp.act",
        "mlp.fc2",
        "mlp.g",
        "mlp.dropout",
        "mlp.residual"};
    QCOMPARE(names, expected);
    QCOMPARE(body.forward.ops[7].coreClass(), CoreClass::Collective);
    QCOMPARE(body.forward.ops[2].coreClass(), CoreClass::None);
}

void TestFusion::fusionOffLeavesDagUnchanged()
{
    const LayerBody body = block(build("gpt2-xl", 1, false));
    QCOMPARE(int(body.forward.ops.size()), body.unfusedOperatorCount);
    for (const Operator &op : body.forward.ops) {
        QVERIFY2(!op.isFused(), op.name.c_str());
    }
    QCOMPARE(body.forward.ops[3].name, std::string("attn.split"));
    QCOMPARE(body.forward.ops[3].parts[0].kind, OpKind::Split);
    // Fusing the unfused body gives exactly the fused build.
    QCOMPARE(fuseOperators(body.forward), block(build("gpt2-xl", 1, true)).forward);
}

void TestFusion::fusionKeepsTotals_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("t");
    for (const TransformerSpec &spec : modelZoo()) {
        for (int t : spec.tensorParallelWidths) {
            const std::string row = spec.key + " t=" + std::to_string(t);
            QTest::newRow(row.c_str()) << QString::fromStdString(spec.key) << t;
        }
    }
}

void TestFusion::fusionKeepsTotals()
{
    QFETCH(QString, model);
    QFETCH(int, t);
    const ModelGraph on = build(model.toStdString().c_str(), t, true);
    const ModelGraph off = build(model.toStdString().c_str(), t, false);
    QCOMPARE(on.layers.size(), off.layers.size());
    for (std::size_t i = 0; i < on.layers.size(); ++i) {
        const LayerBody &fused = *on.layers[i].body;
        const LayerBody &plain = *off.layers[i].body;
        QCOMPARE(fused.flopsForward, plain.flopsForward);
        QCOMPARE(fused.flopsBackward, plain.flopsBackward);
        QCOMPARE(fused.activationBytes, plain.activationBytes);
        QCOMPARE(fused.parameterBytes, plain.parameterBytes);
        QCOMPARE(fused.unfusedOperatorCount, plain.unfusedOperatorCount);
        QVERIFY(fused.forward.ops.size() <= plain.forward.ops.size());
        QVERIFY(fused.forward.isAcyclic());
        QVERIFY(inTopologicalOrder(fused.forward));
        QVERIFY(inTopologicalOrder(plain.forward));
        QVERIFY(backwardDag(fused.forward).isAcyclic());
    }
}

void TestFusion::elementwiseRunBecomesOneVectorOperator()
{
    const OperatorDag fused =
        fuseOperators(chain({OpKind::LayerNorm, OpKind::Dropout, OpKind::Add}));
    QCOMPARE(fused.ops.size(), std::size_t(1));
    QCOMPARE(fused.ops[0].name, std::string("layer_norm+dropout+add"));
    QCOMPARE(fused.ops[0].coreClass(), CoreClass::VC);
    QCOMPARE(fused.ops[0].parts.size(), std::size_t(3));
    QVERIFY(fused.edges.empty());
}

void TestFusion::gemmAbsorbsElementwiseEpilogue()
{
    const OperatorDag dag = chain({OpKind::Linear, OpKind::Gelu, OpKind::Dropout});
    const OperatorDag fused = fuseOperators(dag);
    QCOMPARE(fused.ops.size(), std::size_t(1));
    QCOMPARE(fused.ops[0].coreClass(), CoreClass::TCVC);
    QCOMPARE(fused.flops(), dag.flops());
}

void TestFusion::gemmNeverJoinsPrecedingVector()
{
    const OperatorDag fused =
        fuseOperators(chain({OpKind::LayerNorm, OpKind::Linear, OpKind::Gelu, OpKind::MatMul}));
    QCOMPARE(fused.ops.size(), std::size_t(3));
    QCOMPARE(fused.ops[0].name, std::string("layer_norm"));
    QCOMPARE(fused.ops[1].name, std::string("linear+gelu"));
    QCOMPARE(fused.ops[2].name, std::string("matmul"));
    QCOMPARE(fused.edges, (std::vector<std::pair<int, int>>{{0, 1}, {1, 2}}));
}

void TestFusion::collectivesAndNoOpsNeverFuse()
{
    const OperatorDag dag =
        chain({OpKind::Linear, OpKind::AllReduce, OpKind::Dropout, OpKind::TpIdentity, OpKind::Gelu,
               OpKind::Embedding, OpKind::Add});
    const OperatorDag fused = fuseOperators(dag);
    QCOMPARE(fused.ops.size(), dag.ops.size());
    QCOMPARE(fused, dag);
}

void TestFusion::branchesStopFusion()
{
    // gelu feeds two consumers: it stays apart from both; the linear still absorbs gelu.
    OperatorDag dag = chain({OpKind::Linear, OpKind::Gelu, OpKind::Dropout});
    dag.ops.push_back(Operator{"other", {part(OpKind::Add)}, 0});
    dag.edges.emplace_back(1, 3);
    const OperatorDag fused = fuseOperators(dag);
    QCOMPARE(fused.ops.size(), std::size_t(3));
    QCOMPARE(fused.ops[0].name, std::string("linear+gelu"));
    QCOMPARE(fused.edges, (std::vector<std::pair<int, int>>{{0, 1}, {0, 2}}));
    // A vector operator with two producers is not absorbed by either.
    OperatorDag join;
    join.ops = {Operator{"a", {part(OpKind::Linear)}, 0}, Operator{"b", {part(OpKind::Linear)}, 0},
                Operator{"sum", {part(OpKind::Add)}, 0}};
    join.edges = {{0, 2}, {1, 2}};
    QCOMPARE(fuseOperators(join), join);
}

void TestFusion::viewsBetweenOperatorsAreContracted()
{
    // a, b -> concat -> transpose -> c, d: every producer is connected to every consumer.
    OperatorDag dag;
    dag.ops = {Operator{"a", {part(OpKind::Linear)}, 0},
               Operator{"b", {part(OpKind::Linear)}, 0},
               Operator{"concat", {part(OpKind::Concat)}, 0},
               Operator{"transpose", {part(OpKind::Transpose)}, 0},
               Operator{"c", {part(OpKind::MatMul)}, 0},
               Operator{"d", {part(OpKind::MatMul)}, 0}};
    dag.edges = {{0, 2}, {1, 2}, {2, 3}, {3, 4}, {3, 5}};
    const OperatorDag fused = fuseOperators(dag);
    QCOMPARE(fused.ops.size(), std::size_t(4));
    QCOMPARE(fused.ops[2].name, std::string("c"));
    QCOMPARE(fused.edges, (std::vector<std::pair<int, int>>{{0, 2}, {0, 3}, {1, 2}, {1, 3}}));
}

void TestFusion::sourceViewIsKept()
{
    const OperatorDag dag = chain({OpKind::View, OpKind::Linear, OpKind::Split});
    const OperatorDag fused = fuseOperators(dag);
    // Neither end has both a producer and a consumer, so both views stay.
    QCOMPARE(fused, dag);
}

void TestFusion::fusionIsIdempotent()
{
    for (const char *key : {"gpt2-xl", "llama2-7b", "bert-large"}) {
        const OperatorDag once = block(build(key, 1, true)).forward;
        QCOMPARE(fuseOperators(once), once);
    }
}

QTEST_APPLESS_MAIN(TestFusion)
#include "test_fusion.moc"
