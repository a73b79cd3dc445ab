// Operators and operator DAGs: kind names and classes, FLOPs, core classes, topological order,
// the backward pass (algorithms.md §1) and structural keys.

#include <QtTest>

#include "core/model/operatordag.h"

using namespace phaze;

Q_DECLARE_METATYPE(phaze::OpKind)
Q_DECLARE_METATYPE(phaze::CoreClass)

namespace {

PrimitiveOp gemm(OpKind kind, GemmShape shape, std::int64_t weightElements = 0)
{
    PrimitiveOp op;
    op.kind = kind;
    op.gemm = shape;
    op.inputBytes = shape.batch * shape.m * shape.k * 2;
    op.outputBytes = shape.batch * shape.m * shape.n * 2;
    op.weightBytes = weightElements * 2;
    return op;
}

PrimitiveOp elementwise(OpKind kind, std::int64_t elements, int group = 1)
{
    PrimitiveOp op;
    op.kind = kind;
    op.elements = elements;
    op.inputBytes = elements * 2;
    op.outputBytes = elements * 2;
    op.group = group;
    return op;
}

Operator single(std::string name, const PrimitiveOp &part)
{
    return Operator{std::move(name), {part}, 0};
}

// a -> b -> d, a -> c -> d
OperatorDag diamond()
{
    OperatorDag dag;
    dag.ops = {single("a", elementwise(OpKind::Add, 8)), single("b", elementwise(OpKind::Gelu, 8)),
               single("c", elementwise(OpKind::Relu, 8)), single("d", elementwise(OpKind::Mul, 8))};
    dag.edges = {{0, 1}, {0, 2}, {1, 3}, {2, 3}};
    return dag;
}

} // namespace

class TestOperatorDag : public QObject
{
    Q_OBJECT

private slots:
    void kindNamesRoundTrip_data();
    void kindNamesRoundTrip();
    void unknownKindName();
    void coreClassNames();
    void primitiveFlops();
    void coreClass_data();
    void coreClass();
    void successorsAndPredecessors();
    void topologicalOrder();
    void cycleHasNoOrder();
    void linearBackwardIsTwoGemms();
    void batchedMatMulBackward();
    void vectorBackward();
    void allReduceBackwardVanishes();
    void tpIdentityBackwardIsAllReduce();
    void embeddingBackwardIsGradientScatter();
    void viewBackwardStaysNoOp();
    void fusedBackwardReversesParts();
    void backwardDagReversesEdges();
    void structuralKeyIgnoresNames();
    void structuralKeySeesDifferences_data();
    void structuralKeySeesDifferences();
};

void TestOperatorDag::kindNamesRoundTrip_data()
{
    QTest::addColumn<OpKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("kindClass"); // 0 GEMM, 1 vector, 2 collective, 3 no-op
    const std::tuple<OpKind, const char *, int> rows[] = {
        {OpKind::Linear, "linear", 0},
        {OpKind::MatMul, "matmul", 0},
        {OpKind::BatchedMatMul, "batched_matmul", 0},
        {OpKind::Add, "add", 1},
        {OpKind::Mul, "mul", 1},
        {OpKind::Scale, "scale", 1},
        {OpKind::Mask, "mask", 1},
        {OpKind::Softmax, "softmax", 1},
        {OpKind::LayerNorm, "layer_norm", 1},
        {OpKind::RMSNorm, "rms_norm", 1},
        {OpKind::Gelu, "gelu", 1},
        {OpKind::Relu, "relu", 1},
        {OpKind::Silu, "silu", 1},
        {OpKind::Rotary, "rotary", 1},
        {OpKind::Dropout, "dropout", 1},
        {OpKind::CrossEntropy, "cross_entropy", 1},
        {OpKind::EmbeddingGrad, "embedding_grad", 1},
        {OpKind::Permute, "permute", 1},
        {OpKind::AllReduce, "all_reduce", 2},
        {OpKind::AllToAll, "all_to_all", 2},
        {OpKind::View, "view", 3},
        {OpKind::Transpose, "transpose", 3},
        {OpKind::Split, "split", 3},
        {OpKind::Concat, "concat", 3},
        {OpKind::Embedding, "embedding", 3},
        {OpKind::TpIdentity, "tp_identity", 3},
    };
    for (const auto &[kind, name, kindClass] : rows) {
        QTest::newRow(name) << kind << QString::fromLatin1(name) << kindClass;
    }
}

void TestOperatorDag::kindNamesRoundTrip()
{
    QFETCH(OpKind, kind);
    QFETCH(QString, name);
    QFETCH(int, kindClass);
    QCOMPARE(QString::fromUtf8(opKindName(kind).data(), qsizetype(opKindName(kind).size())), name);
    const std::optional<OpKind> parsed = opKindFromName(name.toStdString());
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, kind);
    QCOMPARE(isGemmKind(kind), kindClass == 0);
    QCOMPARE(isVectorKind(kind), kindClass == 1);
    QCOMPARE(isNoOpKind(kind), kindClass == 3);
}

void TestOperatorDag::unknownKindName()
{
    QVERIFY(!opKindFromName("conv2d").has_value());
    QVERIFY(!opKindFromName("").has_value());
    QVERIFY(!opKindFromName("Linear").has_value()); // names are exact snake_case
}

void TestOperatorDag::coreClassNames()
{
    QCOMPARE(coreClassName(CoreClass::TC), std::string_view("TC"));
    QCOMPARE(coreClassName(CoreClass::VC), std::string_view("VC"));
    QCOMPARE(coreClassName(CoreClass::TCVC), std::string_view("TCVC"));
    QCOMPARE(coreClassName(CoreClass::Collective), std::string_view("collective"));
    QCOMPARE(coreClassName(CoreClass::None), std::string_view("none"));
}

void TestOperatorDag::primitiveFlops()
{
    QCOMPARE(gemm(OpKind::Linear, {1, 4, 8, 16}).flops(), 2.0 * 4 * 8 * 16);
    QCOMPARE(gemm(OpKind::BatchedMatMul, {3, 4, 8, 16}).flops(), 2.0 * 3 * 4 * 8 * 16);
    QCOMPARE(elementwise(OpKind::Softmax, 1000).flops(), 1000.0);
    QCOMPARE(elementwise(OpKind::AllReduce, 1000, 8).flops(), 0.0);
    QCOMPARE(elementwise(OpKind::View, 1000).flops(), 0.0);
    Operator fused{"fc1+gelu",
                   {gemm(OpKind::Linear, {1, 4, 8, 16}), elementwise(OpKind::Gelu, 64)}};
    QCOMPARE(fused.flops(), 2.0 * 4 * 8 * 16 + 64);
    QCOMPARE(fused.outputBytes(), std::int64_t(64 * 2));
    QVERIFY(fused.isFused());
}

void TestOperatorDag::coreClass_data()
{
    QTest::addColumn<Operator>("op");
    QTest::addColumn<CoreClass>("expected");
    const PrimitiveOp linear = gemm(OpKind::Linear, {1, 4, 8, 16});
    const PrimitiveOp gelu = elementwise(OpKind::Gelu, 64);
    const PrimitiveOp add = elementwise(OpKind::Add, 64);
    const PrimitiveOp allReduce = elementwise(OpKind::AllReduce, 64, 4);
    const PrimitiveOp view = elementwise(OpKind::View, 64);
    const PrimitiveOp identity = elementwise(OpKind::TpIdentity, 64, 4);
    QTest::newRow("gemm") << single("g", linear) << CoreClass::TC;
    QTest::newRow("gemm+vector") << Operator{"gv", {linear, gelu}, 0} << CoreClass::TCVC;
    QTest::newRow("vector") << single("v", gelu) << CoreClass::VC;
    QTest::newRow("vector run") << Operator{"vv", {gelu, add}, 0} << CoreClass::VC;
    QTest::newRow("all-reduce") << single("ar", allReduce) << CoreClass::Collective;
    QTest::newRow("view") << single("view", view) << CoreClass::None;
    QTest::newRow("tp identity") << single("f", identity) << CoreClass::None;
    QTest::newRow("gemm+view") << Operator{"gw", {linear, view}, 0} << CoreClass::TC;
}

void TestOperatorDag::coreClass()
{
    QFETCH(Operator, op);
    QFETCH(CoreClass, expected);
    QCOMPARE(op.coreClass(), expected);
}

void TestOperatorDag::successorsAndPredecessors()
{
    const OperatorDag dag = diamond();
    const auto succ = dag.successors();
    const auto pred = dag.predecessors();
    QCOMPARE(succ[0], (std::vector<int>{1, 2}));
    QCOMPARE(succ[3], std::vector<int>{});
    QCOMPARE(pred[3], (std::vector<int>{1, 2}));
    QCOMPARE(pred[0], std::vector<int>{});
    QCOMPARE(dag.flops(), 32.0);
}

void TestOperatorDag::topologicalOrder()
{
    QCOMPARE(diamond().topologicalOrder(), (std::vector<int>{0, 1, 2, 3}));
    // Stored out of order: 2 -> 0 -> 1.
    OperatorDag dag;
    dag.ops = {single("x", elementwise(OpKind::Add, 1)), single("y", elementwise(OpKind::Add, 1)),
               single("z", elementwise(OpKind::Add, 1))};
    dag.edges = {{0, 1}, {2, 0}};
    QCOMPARE(dag.topologicalOrder(), (std::vector<int>{2, 0, 1}));
    QVERIFY(dag.isAcyclic());
    QVERIFY(OperatorDag{}.isAcyclic());
}

void TestOperatorDag::cycleHasNoOrder()
{
    OperatorDag dag = diamond();
    dag.edges.emplace_back(3, 0);
    QVERIFY(dag.topologicalOrder().empty());
    QVERIFY(!dag.isAcyclic());
    // Fusion leaves a cyclic graph alone rather than hiding the cycle.
    QCOMPARE(fuseOperators(dag), dag);
}

void TestOperatorDag::linearBackwardIsTwoGemms()
{
    // C[m, n] = A[m, k] x W[k, n] with m = 6, k = 8, n = 10.
    const PrimitiveOp forward = gemm(OpKind::Linear, {1, 6, 8, 10}, 8 * 10 + 10);
    const Operator bwd = backwardOperator(single("fc", forward));
    QCOMPARE(bwd.name, std::string("fc.bwd"));
    QCOMPARE(bwd.parts.size(), std::size_t(2));
    // Data gradient dA = dC x W^T.
    QCOMPARE(bwd.parts[0].kind, OpKind::Linear);
    QCOMPARE(bwd.parts[0].gemm, (GemmShape{1, 6, 10, 8}));
    QCOMPARE(bwd.parts[0].outputBytes, std::int64_t(6 * 8 * 2));
    QCOMPARE(bwd.parts[0].weightBytes, forward.weightBytes);
    // Weight gradient dW = A^T x dC.
    QCOMPARE(bwd.parts[1].kind, OpKind::Linear);
    QCOMPARE(bwd.parts[1].gemm, (GemmShape{1, 8, 6, 10}));
    QCOMPARE(bwd.parts[1].outputBytes, std::int64_t(8 * 10 * 2));
    QVERIFY(bwd.parts[0].backward && bwd.parts[1].backward);
    QCOMPARE(bwd.flops(), 2.0 * forward.flops());
    QCOMPARE(bwd.coreClass(), CoreClass::TC);
}

void TestOperatorDag::batchedMatMulBackward()
{
    const PrimitiveOp forward = gemm(OpKind::BatchedMatMul, {12, 128, 64, 128});
    std::vector<PrimitiveOp> parts;
    appendBackwardParts(forward, parts);
    QCOMPARE(parts.size(), std::size_t(2));
    QCOMPARE(parts[0].gemm, (GemmShape{12, 128, 128, 64}));
    QCOMPARE(parts[1].gemm, (GemmShape{12, 64, 128, 128}));
    QCOMPARE(parts[0].kind, OpKind::BatchedMatMul);
    QCOMPARE(parts[0].flops() + parts[1].flops(), 2.0 * forward.flops());
}

void TestOperatorDag::vectorBackward()
{
    PrimitiveOp forward = elementwise(OpKind::Add, 100);
    forward.inputBytes = 400; // two operands
    const Operator bwd = backwardOperator(single("add", forward));
    QCOMPARE(bwd.parts.size(), std::size_t(1));
    QCOMPARE(bwd.parts[0].kind, OpKind::Add);
    QVERIFY(bwd.parts[0].backward);
    QCOMPARE(bwd.parts[0].elements, std::int64_t(100));
    QCOMPARE(bwd.parts[0].inputBytes, std::int64_t(200));
    QCOMPARE(bwd.parts[0].outputBytes, std::int64_t(400));
    QCOMPARE(bwd.coreClass(), CoreClass::VC);
}

void TestOperatorDag::allReduceBackwardVanishes()
{
    std::vector<PrimitiveOp> parts;
    appendBackwardParts(elementwise(OpKind::AllReduce, 4096, 8), parts);
    QVERIFY(parts.empty());
    // The operator stays as a zero-cost node so the DAG keeps its shape.
    const Operator bwd =
        backwardOperator(single("attn.g", elementwise(OpKind::AllReduce, 4096, 8)));
    QCOMPARE(bwd.parts.size(), std::size_t(1));
    QCOMPARE(bwd.parts[0].kind, OpKind::View);
    QCOMPARE(bwd.coreClass(), CoreClass::None);
    QCOMPARE(bwd.flops(), 0.0);
}

void TestOperatorDag::tpIdentityBackwardIsAllReduce()
{
    const Operator bwd =
        backwardOperator(single("attn.f", elementwise(OpKind::TpIdentity, 4096, 8)));
    QCOMPARE(bwd.parts.size(), std::size_t(1));
    QCOMPARE(bwd.parts[0].kind, OpKind::AllReduce);
    QCOMPARE(bwd.parts[0].elements, std::int64_t(4096));
    QCOMPARE(bwd.parts[0].group, 8);
    QCOMPARE(bwd.parts[0].outputBytes, std::int64_t(4096 * 2));
    QVERIFY(bwd.parts[0].backward);
    QCOMPARE(bwd.coreClass(), CoreClass::Collective);
}

void TestOperatorDag::embeddingBackwardIsGradientScatter()
{
    const Operator bwd = backwardOperator(single("embed", elementwise(OpKind::Embedding, 2048)));
    QCOMPARE(bwd.parts.size(), std::size_t(1));
    QCOMPARE(bwd.parts[0].kind, OpKind::EmbeddingGrad);
    QCOMPARE(bwd.parts[0].elements, std::int64_t(2048));
    QCOMPARE(bwd.coreClass(), CoreClass::VC);
    QCOMPARE(bwd.flops(), 2048.0);
}

void TestOperatorDag::viewBackwardStaysNoOp()
{
    const Operator bwd = backwardOperator(single("split", elementwise(OpKind::Split, 96)));
    QCOMPARE(bwd.parts.size(), std::size_t(1));
    QCOMPARE(bwd.parts[0].kind, OpKind::Split);
    QVERIFY(bwd.parts[0].backward);
    QCOMPARE(bwd.flops(), 0.0);
}

void TestOperatorDag::fusedBackwardReversesParts()
{
    const Operator forward{"fc1+gelu",
                           {gemm(OpKind::Linear, {1, 4, 8, 16}), elementwise(OpKind::Gelu, 64)}};
    const Operator bwd = backwardOperator(forward);
    QCOMPARE(bwd.parts.size(), std::size_t(3));
    QCOMPARE(bwd.parts[0].kind, OpKind::Gelu); // the epilogue's gradient comes first
    QCOMPARE(bwd.parts[1].kind, OpKind::Linear);
    QCOMPARE(bwd.parts[2].kind, OpKind::Linear);
    QCOMPARE(bwd.coreClass(), CoreClass::TCVC);
}

void TestOperatorDag::backwardDagReversesEdges()
{
    OperatorDag forward = diamond();
    forward.ops[1] = single("b", gemm(OpKind::Linear, {1, 2, 2, 2}));
    const OperatorDag bwd = backwardDag(forward);
    QCOMPARE(bwd.ops.size(), forward.ops.size());
    QCOMPARE(bwd.edges, (std::vector<std::pair<int, int>>{{1, 0}, {2, 0}, {3, 1}, {3, 2}}));
    for (std::size_t i = 0; i < bwd.ops.size(); ++i) {
        QCOMPARE(bwd.ops[i].name, forward.ops[i].name + ".bwd");
    }
    QCOMPARE(bwd.ops[1].parts.size(), std::size_t(2));
    QCOMPARE(bwd.topologicalOrder(), (std::vector<int>{3, 1, 2, 0}));
    QCOMPARE(bwd.flops(), 3 * 8.0 + 2 * 16.0);
}

void TestOperatorDag::structuralKeyIgnoresNames()
{
    OperatorDag renamed = diamond();
    for (Operator &op : renamed.ops) {
        op.name += ".other";
    }
    QCOMPARE(structuralKey(renamed), structuralKey(diamond()));
    QVERIFY(!structuralKey(diamond()).empty());
}

void TestOperatorDag::structuralKeySeesDifferences_data()
{
    QTest::addColumn<OperatorDag>("changed");
    OperatorDag dag = diamond();
    dag.ops[1].parts[0].kind = OpKind::Relu;
    QTest::newRow("kind") << dag;
    dag = diamond();
    dag.ops[1].parts[0].elements = 9;
    QTest::newRow("elements") << dag;
    dag = diamond();
    dag.ops[2].parts[0].outputBytes = 1;
    QTest::newRow("bytes") << dag;
    dag = diamond();
    dag.ops[2].parts[0].group = 2;
    QTest::newRow("group") << dag;
    dag = diamond();
    dag.edges.pop_back();
    QTest::newRow("edge") << dag;
    dag = diamond();
    dag.ops[3].parts.push_back(elementwise(OpKind::Add, 8));
    QTest::newRow("parts") << dag;
    dag = diamond();
    dag.ops[0] = single("a", gemm(OpKind::Linear, {1, 2, 3, 4}));
    OperatorDag other = dag;
    other.ops[0].parts[0].gemm.k = 5;
    QTest::newRow("gemm shape") << other;
}

void TestOperatorDag::structuralKeySeesDifferences()
{
    QFETCH(OperatorDag, changed);
    QVERIFY(structuralKey(changed) != structuralKey(diamond()));
}

QTEST_APPLESS_MAIN(TestOperatorDag)
#include "test_operatordag.moc"
