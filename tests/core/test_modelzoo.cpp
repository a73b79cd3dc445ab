// The built-in model zoo (models.md): hyperparameters, flags, PHAZE's baselines, parameter
// counts of the generated graphs and the sharing of identical transformer blocks.

#include <QtTest>

#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

ModelGraph build(const TransformerSpec &spec, int t)
{
    GraphBuildOptions options;
    options.tensorParallel = t;
    Result<ModelGraph> result = buildTransformer(spec, options);
    if (!result.ok()) {
        qFatal("cannot build %s: %s", spec.key.c_str(), result.message.c_str());
    }
    return std::move(*result.value);
}

const TransformerSpec &zoo(const QString &key)
{
    const TransformerSpec *spec = findZooModel(key.toStdString());
    if (!spec) {
        qFatal("no zoo model %s", qPrintable(key));
    }
    return *spec;
}

void addKeyRows()
{
    QTest::addColumn<QString>("key");
    for (const TransformerSpec &spec : modelZoo()) {
        QTest::newRow(spec.key.c_str()) << QString::fromStdString(spec.key);
    }
}

} // namespace

class TestModelZoo : public QObject
{
    Q_OBJECT

private slots:
    void keys();
    void unknownKey();
    void hyperparameters_data();
    void hyperparameters();
    void flags();
    void parameterCounts_data();
    void parameterCounts();
    void bertLargeMatchesHuggingFaceBertModel();
    void groupedQueryAttentionByHand();
    void groupedQueryAttentionRefusals();
    void distinctLayers_data();
    void distinctLayers();
    void layerSizes();
    void layerKindNames();
    void shareIdenticalBodiesMergesCopies();
};

void TestModelZoo::keys()
{
    std::vector<std::string> keys;
    for (const TransformerSpec &spec : modelZoo()) {
        keys.push_back(spec.key);
        QCOMPARE(findZooModel(spec.key), &spec);
    }
    const std::vector<std::string> expected{
        "bert-large",    "gpt2-xl",       "opt-350m",           "llama2-7b",
        "llama3-8b",     "llama3-70b",    "llama3.1-405b",      "mixtral-8x7b",
        "qwen3-235b-a22b", "megatron-bert",
        "megatron-gpt2-2.5b", "megatron-gpt2-8.3b", "gpt3-175b"};
    QCOMPARE(keys, expected);
}

void TestModelZoo::unknownKey()
{
    QVERIFY(findZooModel("gpt4") == nullptr);
    QVERIFY(findZooModel("") == nullptr);
    QVERIFY(findZooModel("GPT2-XL") == nullptr);
}

void TestModelZoo::hyperparameters_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QList<int>>("dims");  // L, h, a, f, V, s
    QTest::addColumn<QList<int>>("fixed"); // p, d, t
    QTest::addColumn<QList<int>>("widths");
    QTest::newRow("bert-large") << "bert-large" << QList<int>{24, 1024, 16, 4096, 30522, 512}
                                << QList<int>{8, 128, 1} << QList<int>{1};
    QTest::newRow("gpt2-xl") << "gpt2-xl" << QList<int>{48, 1600, 25, 6400, 50257, 1024}
                             << QList<int>{32, 32, 1} << QList<int>{1};
    QTest::newRow("opt-350m") << "opt-350m" << QList<int>{24, 1024, 16, 4096, 50272, 2048}
                              << QList<int>{12, 85, 1} << QList<int>{1};
    QTest::newRow("llama2-7b") << "llama2-7b" << QList<int>{32, 4096, 32, 11008, 32000, 4096}
                               << QList<int>{8, 128, 1} << QList<int>{1};
    QTest::newRow("llama3-8b") << "llama3-8b" << QList<int>{32, 4096, 32, 14336, 128256, 8192}
                               << QList<int>{4, 32, 8} << QList<int>{1, 2, 4, 8};
    QTest::newRow("llama3-70b") << "llama3-70b" << QList<int>{80, 8192, 64, 28672, 128256, 8192}
                                << QList<int>{16, 8, 8} << QList<int>{1, 2, 4, 8};
    QTest::newRow("llama3.1-405b")
        << "llama3.1-405b" << QList<int>{126, 16384, 128, 53248, 128256, 8192}
        << QList<int>{63, 2, 8} << QList<int>{1, 2, 4, 8};
    QTest::newRow("megatron-bert") << "megatron-bert" << QList<int>{24, 1024, 16, 4096, 30522, 512}
                                   << QList<int>{8, 128, 1} << QList<int>{1, 2, 4, 8};
    QTest::newRow("megatron-gpt2-2.5b")
        << "megatron-gpt2-2.5b" << QList<int>{54, 1920, 20, 7680, 51200, 1024}
        << QList<int>{8, 32, 4} << QList<int>{1, 2, 4};
    QTest::newRow("megatron-gpt2-8.3b")
        << "megatron-gpt2-8.3b" << QList<int>{72, 3072, 24, 12288, 51200, 1024}
        << QList<int>{8, 16, 8} << QList<int>{1, 2, 4, 8};
    QTest::newRow("gpt3-175b") << "gpt3-175b" << QList<int>{96, 12288, 96, 49152, 51200, 2048}
                               << QList<int>{32, 8, 4} << QList<int>{4, 8};
}

void TestModelZoo::hyperparameters()
{
    QFETCH(QString, key);
    QFETCH(QList<int>, dims);
    QFETCH(QList<int>, fixed);
    QFETCH(QList<int>, widths);
    const TransformerSpec &spec = zoo(key);
    QCOMPARE(spec.layers, dims[0]);
    QCOMPARE(spec.hidden, dims[1]);
    QCOMPARE(spec.heads, dims[2]);
    QCOMPARE(spec.ffn, dims[3]);
    QCOMPARE(spec.vocab, std::int64_t(dims[4]));
    QCOMPARE(spec.sequence, dims[5]);
    QCOMPARE(spec.fixedStrategy.pipeline, fixed[0]);
    QCOMPARE(spec.fixedStrategy.data, fixed[1]);
    QCOMPARE(spec.fixedStrategy.tensor, fixed[2]);
    QCOMPARE(spec.fixedStrategy.pipeline * spec.fixedStrategy.data * spec.fixedStrategy.tensor <=
                 1024,
             true);
    QCOMPARE(QList<int>(spec.tensorParallelWidths.begin(), spec.tensorParallelWidths.end()),
             widths);
    // PHAZE's baseline width is one of the widths it explores.
    QVERIFY(std::count(spec.tensorParallelWidths.begin(), spec.tensorParallelWidths.end(),
                       spec.fixedStrategy.tensor) == 1);
    QVERIFY(!spec.family.empty());
}

void TestModelZoo::flags()
{
    const TransformerSpec &bert = zoo(u"bert-large"_s);
    QVERIFY(!bert.preNorm && !bert.finalNorm && !bert.causal && bert.tiedHead && bert.bertHeads);
    QCOMPARE(bert.maxPositions, 512);
    QCOMPARE(bert.tokenTypes, 2);
    QCOMPARE(bert.activation, ActivationKind::Gelu);

    const TransformerSpec &gpt2 = zoo(u"gpt2-xl"_s);
    QVERIFY(gpt2.preNorm && gpt2.finalNorm && gpt2.causal && gpt2.tiedHead && !gpt2.bertHeads);
    QCOMPARE(gpt2.maxPositions, 1024);

    const TransformerSpec &opt = zoo(u"opt-350m"_s);
    QVERIFY(!opt.preNorm && !opt.finalNorm && opt.causal && opt.tiedHead);
    QCOMPARE(opt.activation, ActivationKind::Relu);
    QCOMPARE(opt.maxPositions, 2050);
    QCOMPARE(opt.embeddingDim, 512);

    const TransformerSpec &llama = zoo(u"llama2-7b"_s);
    QCOMPARE(llama.norm, NormKind::RMSNorm);
    QCOMPARE(llama.activation, ActivationKind::SwiGLU);
    QCOMPARE(llama.positions, PositionKind::Rotary);
    QVERIFY(!llama.bias && !llama.tiedHead && llama.finalNorm && llama.preNorm);

    QCOMPARE(llama.kvHeads, 0); // Llama 2 7B: one key/value head per attention head
    for (const QString &key : {u"llama3-8b"_s, u"llama3-70b"_s, u"llama3.1-405b"_s}) {
        const TransformerSpec &spec = zoo(key);
        QCOMPARE(spec.kvHeads, 8);
        QCOMPARE(spec.norm, NormKind::RMSNorm);
        QCOMPARE(spec.activation, ActivationKind::SwiGLU);
        QCOMPARE(spec.positions, PositionKind::Rotary);
        QVERIFY(!spec.bias && !spec.tiedHead && spec.finalNorm && spec.preNorm && spec.causal);
    }

    const TransformerSpec &mbert = zoo(u"megatron-bert"_s);
    QVERIFY(mbert.preNorm && mbert.finalNorm && !mbert.causal && mbert.bertHeads);

    for (const QString &key : {u"megatron-gpt2-2.5b"_s, u"megatron-gpt2-8.3b"_s, u"gpt3-175b"_s}) {
        const TransformerSpec &spec = zoo(key);
        QVERIFY(spec.preNorm && spec.finalNorm && spec.causal && spec.tiedHead);
        QCOMPARE(spec.maxPositions, spec.sequence);
        QCOMPARE(spec.norm, NormKind::LayerNorm);
    }
}

void TestModelZoo::parameterCounts_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<qint64>("expected"); // counted by hand from the hyperparameters
    QTest::addColumn<double>("reference");
    // 24 x 12,596,224 per block + embeddings 31,782,912 + pooler 1,049,600 + MLM transform
    // 1,049,600 + its LayerNorm 2,048 + decoder bias 30,522 + NSP 2,050.
    QTest::newRow("bert-large") << "bert-large" << qint64(336226108) << 335e6;
    // 48 x 30,740,800 + wte 80,411,200 + wpe 1,638,400 + ln_f 3,200 (= Hugging Face's count).
    QTest::newRow("gpt2-xl") << "gpt2-xl" << qint64(1557611200) << 1.5576e9;
    // 24 x 12,596,224 + embed 25,739,264 + positions 2,099,200 + project in/out 2 x 524,288.
    QTest::newRow("opt-350m") << "opt-350m" << qint64(331196416) << 331e6;
    // 32 x 202,383,360 + embed 131,072,000 + LM head 131,072,000 + final norm 4,096.
    QTest::newRow("llama2-7b") << "llama2-7b" << qint64(6738415616) << 6.738e9;
    // Grouped-query attention: Q and the output projection h x h, K and V h x 1024 each (8
    // key/value heads of 128); SwiGLU 3 h f; two RMSNorms per block; untied embedding and head
    // of 128,256 x h; the final norm. Equal to the Hugging Face checkpoints' counts.
    // 32 x 218,112,000 + 2 x 525,336,576 + 4,096.
    QTest::newRow("llama3-8b") << "llama3-8b" << qint64(8030261248) << 8.03e9;
    // 80 x 855,654,400 + 2 x 1,050,673,152 + 8,192.
    QTest::newRow("llama3-70b") << "llama3-70b" << qint64(70553706496) << 70.6e9;
    // 126 x 3,187,703,808 + 2 x 2,101,346,304 + 16,384.
    QTest::newRow("llama3.1-405b") << "llama3.1-405b" << qint64(405853388800) << 405e9;
    // As bert-large, with the final LayerNorm in place of the embedding LayerNorm.
    QTest::newRow("megatron-bert") << "megatron-bert" << qint64(336226108) << 336e6;
    QTest::newRow("megatron-gpt2-2.5b") << "megatron-gpt2-2.5b" << qint64(2490408960) << 2.5e9;
    QTest::newRow("megatron-gpt2-8.3b") << "megatron-gpt2-8.3b" << qint64(8317040640) << 8.3e9;
    QTest::newRow("gpt3-175b") << "gpt3-175b" << qint64(174615846912) << 175e9;
}

// Llama 3 8B at t = 2, one sequence of 128 tokens: Q is 4096 / 2 wide, K and V 4 heads of 128
// each per slice, so the QKV GEMM is 128 x 4096 x (2048 + 2 x 512); scores and context run per
// query head (16 per slice); rotary embeds Q and K only.
void TestModelZoo::groupedQueryAttentionByHand()
{
    GraphBuildOptions options;
    options.tensorParallel = 2;
    options.sequence = 128;
    options.fusion = false;
    const Result<ModelGraph> g = buildTransformer(zoo(u"llama3-8b"_s), options);
    QVERIFY2(g.ok(), g.message.c_str());
    const Layer *block = nullptr;
    for (const Layer &layer : g.value->layers)
        if (layer.kind == LayerKind::TransformerBlock && !block)
            block = &layer;
    QVERIFY(block);
    int seen = 0;
    for (const Operator &op : block->body->forward.ops) {
        const PrimitiveOp &p = op.parts.front();
        if (op.name == "attn.qkv") {
            QCOMPARE(p.gemm.m, std::int64_t(128));
            QCOMPARE(p.gemm.k, std::int64_t(4096));
            QCOMPARE(p.gemm.n, std::int64_t(2048 + 2 * 512));
            QCOMPARE(op.flops(), 2.0 * 128 * 4096 * 3072);
            QCOMPARE(p.weightBytes, std::int64_t(4096) * 3072 * 2);
            QCOMPARE(p.outputBytes, std::int64_t(128) * 3072 * 2);
            ++seen;
        } else if (op.name == "attn.rotary") {
            QCOMPARE(p.elements, std::int64_t(128) * (2048 + 512));
            ++seen;
        } else if (op.name == "attn.scores" || op.name == "attn.context") {
            QCOMPARE(p.gemm.batch, std::int64_t(16));
            QCOMPARE(op.flops(), 2.0 * 16 * 128 * 128 * 128);
            ++seen;
        }
    }
    QCOMPARE(seen, 4);
    // Sharded parameters of one slice: (Q + K + V + O) / 2 + SwiGLU / 2.
    QCOMPARE(block->body->shardedParameters,
             std::int64_t(4096) * 3072 + 2048 * 4096 + 3 * 4096 * 7168);
}

void TestModelZoo::groupedQueryAttentionRefusals()
{
    TransformerSpec spec = zoo(u"llama3-8b"_s);
    GraphBuildOptions options;
    options.tensorParallel = 16; // 16 divides the 32 heads but not the 8 key/value heads
    Result<ModelGraph> g = buildTransformer(spec, options);
    QCOMPARE(g.status, Status::Error);
    QVERIFY2(g.message.find("t=16 does not divide the key/value heads 8") != std::string::npos,
             g.message.c_str());
    spec.kvHeads = 5;
    options.tensorParallel = 1;
    g = buildTransformer(spec, options);
    QCOMPARE(g.status, Status::Error);
    QVERIFY2(g.message.find("the 5 key/value heads do not divide the 32 attention heads") !=
                 std::string::npos,
             g.message.c_str());
}

void TestModelZoo::parameterCounts()
{
    QFETCH(QString, key);
    QFETCH(qint64, expected);
    QFETCH(double, reference);
    const TransformerSpec &spec = zoo(key);
    QCOMPARE(spec.referenceParameters, reference);
    const ModelGraph graph = build(spec, spec.tensorParallelWidths.front());
    QCOMPARE(qint64(graph.totalParameters()), expected);
    const double error = std::abs(double(graph.totalParameters()) / reference - 1.0);
    QVERIFY2(error < 0.005, qPrintable(u"%1 off by %2%"_s.arg(key).arg(error * 100)));
}

void TestModelZoo::bertLargeMatchesHuggingFaceBertModel()
{
    // Without the pre-training heads (MLM transform, its norm, decoder bias, NSP), BERT-large is
    // Hugging Face's BertModel with pooler: 335,141,888 parameters.
    const ModelGraph graph = build(zoo(u"bert-large"_s), 1);
    const std::int64_t h = 1024;
    const std::int64_t heads = (h * h + h) + 2 * h + 30522 + (2 * h + 2);
    QCOMPARE(graph.totalParameters() - heads, std::int64_t(335141888));
    // The tied decoder weights are held by the head but owned by the embedding.
    QCOMPARE(graph.layers.back().body->tiedParameters, std::int64_t(30522) * h);
}

void TestModelZoo::distinctLayers_data()
{
    addKeyRows();
}

void TestModelZoo::distinctLayers()
{
    QFETCH(QString, key);
    const TransformerSpec &spec = zoo(key);
    for (int t : spec.tensorParallelWidths) {
        const ModelGraph graph = build(spec, t);
        QCOMPARE(graph.layers.size(), std::size_t(spec.layers + 2));
        QCOMPARE(graph.transformerBlocks, spec.layers);
        QCOMPARE(graph.distinctLayers(), (std::vector<int>{0, 1, spec.layers + 1}));
        QVERIFY(graph.isChain());
        // All blocks share one body, and every body carries its structural key.
        for (int i = 1; i <= spec.layers; ++i) {
            QCOMPARE(graph.layers[i].body.get(), graph.layers[1].body.get());
        }
        for (const Layer &layer : graph.layers) {
            QVERIFY(!layer.body->key.empty());
        }
        QVERIFY(graph.layers[0].body->key != graph.layers[1].body->key);
    }
}

void TestModelZoo::layerSizes()
{
    // gpt2-xl, b = 1, s = 1024, 2 bytes per element.
    const ModelGraph graph = build(zoo(u"gpt2-xl"_s), 1);
    const LayerBody &block = *graph.layers[1].body;
    QCOMPARE(block.sliceParameters(), std::int64_t(30740800));
    QCOMPARE(block.parameterBytes, std::int64_t(30740800) * 2);
    QCOMPARE(block.tiedParameters, std::int64_t(0));
    // Outputs of every computing operation: ln1, qkv, 5 x the 25 x 1024 x 1024 score tensors,
    // context, proj, dropout, add, ln2, fc1 (6400 wide), gelu, fc2, dropout, add.
    const std::int64_t tokens = 1024;
    const std::int64_t h = 1600;
    const std::int64_t scores = 25 * tokens * tokens;
    const std::int64_t elements = tokens * h * 9 + tokens * 3 * h + 5 * scores + 2 * tokens * 6400;
    QCOMPARE(block.activationBytes, elements * 2);
    const LayerBody &head = *graph.layers.back().body;
    QCOMPARE(head.tiedParameters, std::int64_t(50257) * h);
    QCOMPARE(head.parameterBytes, (std::int64_t(50257) * h + 2 * h) * 2);
    QCOMPARE(graph.layers.back().fullParameters(1), 2 * h);
}

void TestModelZoo::layerKindNames()
{
    QCOMPARE(layerKindName(LayerKind::Embedding), std::string_view("embedding"));
    QCOMPARE(layerKindName(LayerKind::TransformerBlock), std::string_view("transformer"));
    QCOMPARE(layerKindName(LayerKind::Head), std::string_view("head"));
    QCOMPARE(layerKindName(LayerKind::Custom), std::string_view("custom"));
}

void TestModelZoo::shareIdenticalBodiesMergesCopies()
{
    ModelGraph graph = build(zoo(u"opt-350m"_s), 1);
    // Give every block its own copy, as an importer would, and let the sharing find them.
    for (std::size_t i = 1; i + 1 < graph.layers.size(); ++i) {
        auto copy = std::make_shared<LayerBody>(*graph.layers[i].body);
        copy->key.clear();
        graph.layers[i].body = std::move(copy);
    }
    QCOMPARE(graph.distinctLayers().size(), graph.layers.size());
    shareIdenticalBodies(graph);
    QCOMPARE(graph.distinctLayers(), (std::vector<int>{0, 1, 25}));
    QCOMPARE(graph.layers[24].body.get(), graph.layers[1].body.get());
    QVERIFY(!graph.layers[1].body->key.empty());
    // A block that differs stays apart.
    auto changed = std::make_shared<LayerBody>(*graph.layers[5].body);
    changed->activationBytes += 1;
    graph.layers[5].body = std::move(changed);
    shareIdenticalBodies(graph);
    QCOMPARE(graph.distinctLayers(), (std::vector<int>{0, 1, 5, 25}));
}

QTEST_APPLESS_MAIN(TestModelZoo)
#include "test_modelzoo.moc"
