// Hugging Face config.json as a model source: the shipped configs against the zoo and the
// published parameter counts, a round trip through the writer, every unsupported or malformed
// config refused with the field (and its line) named, and the project and command-line paths.

#include <QtTest>

#include <fstream>

#include "core/io/huggingfaceconfig.h"
#include "core/io/modelloader.h"
#include "core/io/projectfile.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"

using namespace phaze;

namespace {

const std::string kDir = PHAZE_SOURCE_DIR "/tests/data/huggingface/";

std::int64_t parameters(const TransformerSpec &spec, int sequence)
{
    GraphBuildOptions options;
    options.sequence = sequence;
    const Result<ModelGraph> g = buildTransformer(spec, options);
    if (!g.ok())
        qFatal("cannot build %s: %s", spec.key.c_str(), g.message.c_str());
    return g.value->totalParameters();
}

using Fields = std::vector<std::pair<const char *, const char *>>;

const Fields kLlamaFields = {
    {"hidden_size", "4096"},       {"num_hidden_layers", "32"},
    {"num_attention_heads", "32"}, {"num_key_value_heads", "8"},
    {"intermediate_size", "14336"}, {"vocab_size", "128256"},
    {"hidden_act", "\"silu\""},    {"max_position_embeddings", "8192"}};

// A config of `type` with `fields`, one of them replaced (or removed when value is null).
std::string configWith(const char *type, Fields fields, const char *key, const char *value)
{
    std::string text = std::string("{\n  \"model_type\": \"") + type + "\",\n";
    bool replaced = false;
    for (const auto &[k, v] : fields) {
        if (std::string(k) == key) {
            replaced = true;
            if (value)
                text += std::string("  \"") + k + "\": " + value + ",\n";
            continue;
        }
        text += std::string("  \"") + k + "\": " + v + ",\n";
    }
    if (!replaced && value)
        text += std::string("  \"") + key + "\": " + value + ",\n";
    text += "  \"tie_word_embeddings\": false\n}\n";
    return text;
}

// A Llama 3 8B config with one field replaced (or removed when value is null).
std::string llamaWith(const char *key, const char *value)
{
    return configWith("llama", kLlamaFields, key, value);
}

// A Mixtral-like config (Llama 3 8B's sizes, 8 experts, top-2) with one field replaced.
std::string mixtralWith(const char *key, const char *value)
{
    Fields fields = kLlamaFields;
    fields.push_back({"num_local_experts", "8"});
    fields.push_back({"num_experts_per_tok", "2"});
    return configWith("mixtral", fields, key, value);
}

} // namespace

class TestHuggingFace : public QObject
{
    Q_OBJECT

private slots:
    void shippedConfigsAreTheZooModels_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("published"); // the checkpoints' parameter counts
        QTest::newRow("llama3-8b") << "llama3-8b" << qint64(8030261248);
        QTest::newRow("llama3-70b") << "llama3-70b" << qint64(70553706496);
        QTest::newRow("llama3.1-405b") << "llama3.1-405b" << qint64(405853388800);
        QTest::newRow("llama2-7b") << "llama2-7b" << qint64(6738415616);
        QTest::newRow("gpt2-xl") << "gpt2-xl" << qint64(1557611200);
        // Mixtral 8x7B: the published 46.7 B; Qwen3-235B-A22B: 235 B (the checkpoints' counts).
        QTest::newRow("mixtral-8x7b") << "mixtral-8x7b" << qint64(46702792704);
        QTest::newRow("qwen3-235b-a22b") << "qwen3-235b-a22b" << qint64(235093634560);
    }

    void shippedConfigsAreTheZooModels()
    {
        QFETCH(QString, key);
        QFETCH(qint64, published);
        const std::string path = kDir + key.toStdString() + "/config.json";
        QCOMPARE(huggingFaceModelName(path), key.toStdString());
        const Result<TransformerSpec> r = loadHuggingFaceConfig(path, key.toStdString());
        QVERIFY2(r.ok(), formatAll(r.diagnostics).c_str());
        const TransformerSpec &hf = *r.value;
        const TransformerSpec &zoo = *findZooModel(key.toStdString());
        QCOMPARE(hf.key, zoo.key);
        QCOMPARE(hf.sequence, 0); // the project gives it
        QCOMPARE(hf.layers, zoo.layers);
        QCOMPARE(hf.hidden, zoo.hidden);
        QCOMPARE(hf.heads, zoo.heads);
        QCOMPARE(hf.kvHeads, zoo.kvHeads);
        QCOMPARE(hf.ffn, zoo.ffn);
        QCOMPARE(hf.vocab, zoo.vocab);
        QCOMPARE(hf.norm, zoo.norm);
        QCOMPARE(hf.activation, zoo.activation);
        QCOMPARE(hf.positions, zoo.positions);
        QCOMPARE(hf.bias, zoo.bias);
        QCOMPARE(hf.tiedHead, zoo.tiedHead);
        QCOMPARE(hf.headDim, zoo.headDim);
        QCOMPARE(hf.qkNorm, zoo.qkNorm);
        QCOMPARE(hf.moe, zoo.moe);
        QCOMPARE(qint64(parameters(hf, zoo.sequence)), published);
        QCOMPARE(qint64(parameters(zoo, zoo.sequence)), published);
    }

    void roundTrip_data() { shippedConfigsAreTheZooModels_data(); }

    void roundTrip()
    {
        QFETCH(QString, key);
        const Result<TransformerSpec> first =
            loadHuggingFaceConfig(kDir + key.toStdString() + "/config.json", "m");
        QVERIFY(first.ok());
        const Result<std::string> text = huggingFaceConfigText(*first.value);
        QVERIFY2(text.ok(), text.message.c_str());
        QVERIFY(looksLikeHuggingFaceConfig(*text.value));
        const Result<TransformerSpec> again = parseHuggingFaceConfig(*text.value, "w.json", "m");
        QVERIFY2(again.ok(), formatAll(again.diagnostics).c_str());
        QVERIFY(*again.value == *first.value);
        // A BERT (post-LN encoder) has no supported model_type: refused, not approximated.
        QCOMPARE(huggingFaceConfigText(*findZooModel("bert-large")).status, Status::Error);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // a fragment of the message, field included
        auto row = [](const char *name, const std::string &text, const char *expected) {
            QTest::newRow(name) << QString::fromStdString(text) << QString::fromUtf8(expected);
        };
        row("missing layers", llamaWith("num_hidden_layers", nullptr),
            "missing required field \"num_hidden_layers\"");
        row("kv heads do not divide heads", llamaWith("num_key_value_heads", "5"),
            "c.json:6:26: num_key_value_heads: the 5 key/value heads do not divide the 32");
        row("hidden not divisible", llamaWith("hidden_size", "4100"),
            "num_attention_heads: the 32 attention heads do not divide hidden_size 4100");
        row("negative ffn", llamaWith("intermediate_size", "-14336"),
            "intermediate_size: must not be negative");
        row("zero heads", llamaWith("num_attention_heads", "0"),
            "num_attention_heads: must be positive");
        row("fractional vocabulary", llamaWith("vocab_size", "1.5"), "vocab_size: must be an integer");
        row("string size", llamaWith("hidden_size", "\"4096\""), "hidden_size: must be an integer");
        row("unknown model type", llamaWith("model_type", "\"qwen2\""),
            "model_type: \"qwen2\" is not a model the builder represents exactly");
        row("experts on a dense type", llamaWith("num_local_experts", "8"),
            "model_type: \"llama\" is a dense model type, but the config gives experts");
        row("expert type without experts", mixtralWith("num_local_experts", nullptr),
            "num_experts_per_tok: num_experts_per_tok without an expert count");
        row("no top-k", mixtralWith("num_experts_per_tok", nullptr),
            "missing required field \"num_experts_per_tok\"");
        row("top-k above the experts", mixtralWith("num_experts_per_tok", "9"),
            "num_experts_per_tok: num_experts_per_tok 9 exceeds the 8 experts");
        row("negative experts", mixtralWith("num_local_experts", "-8"),
            "num_local_experts: must not be negative");
        row("contradictory expert counts", mixtralWith("num_experts", "16"),
            "num_experts: num_experts 16 contradicts num_local_experts 8");
        row("gated shared expert", mixtralWith("shared_expert_intermediate_size", "5632"),
            "shared_expert_intermediate_size: a shared expert behind a sigmoid gate");
        row("interleaved dense blocks", mixtralWith("mlp_only_layers", "[0, 2]"),
            "mlp_only_layers: dense blocks among the expert blocks are not modelled");
        row("sparse step", mixtralWith("decoder_sparse_step", "2"),
            "decoder_sparse_step: experts in only every n-th block");
        row("dense leading blocks beyond the model", mixtralWith("first_k_dense_replace", "40"),
            "first_k_dense_replace: first_k_dense_replace 40 exceeds the 32 layers");
        row("latent attention", llamaWith("kv_lora_rank", "512"),
            "kv_lora_rank: multi-head latent attention is not modelled");
        row("gelu llama", llamaWith("hidden_act", "\"gelu\""), "hidden_act: a gated MLP with \"gelu\"");
        row("attention bias", llamaWith("attention_bias", "true"), "attention_bias: biases on only");
        row("sliding window", llamaWith("sliding_window", "4096"),
            "sliding_window: sliding-window attention is not modelled");
        row("malformed", "{\"model_type\": \"llama\",\n \"hidden_size\": }\n", "c.json:2:");
        row("not an object", "[1, 2]\n", "is a JSON object");
        row("not UTF-8", "{\"model_type\": \"ll\xff\"}\n", "c.json:1:");
    }

    void refusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const Result<TransformerSpec> r =
            parseHuggingFaceConfig(text.toStdString(), "c.json", "m");
        QCOMPARE(r.status, Status::Error);
        const QString all = QString::fromStdString(formatAll(r.diagnostics));
        QVERIFY2(all.contains(expected), qPrintable(all));
        QVERIFY2(all.startsWith(QStringLiteral("c.json:")), qPrintable(all));
    }

    void acceptedVariants()
    {
        // Grouping off (kv = heads) reads as plain multi-head attention; the same head width
        // spelt out is fine; a mistral config without its sliding window is a llama one.
        Result<TransformerSpec> r =
            parseHuggingFaceConfig(llamaWith("num_key_value_heads", "32"), "c.json", "m");
        QVERIFY(r.ok());
        QCOMPARE(r.value->kvHeads, 0);
        r = parseHuggingFaceConfig(llamaWith("head_dim", "128"), "c.json", "m");
        QVERIFY(r.ok());
        QCOMPARE(r.value->headDim, 0);
        // A head width of its own (Qwen3's 128 at hidden / heads = 64) is kept.
        r = parseHuggingFaceConfig(llamaWith("head_dim", "256"), "c.json", "m");
        QVERIFY(r.ok());
        QCOMPARE(r.value->headDim, 256);
        // Experts: Mixtral's width is the intermediate_size, moe_intermediate_size wins when
        // given; shared experts and dense leading blocks (DeepSeek's spelling) are read.
        r = parseHuggingFaceConfig(mixtralWith("n_shared_experts", "2"), "c.json", "m");
        QVERIFY2(r.ok(), formatAll(r.diagnostics).c_str());
        QCOMPARE(r.value->moe, (MixtureOfExperts{8, 2, 14336, 2 * 14336, 0}));
        r = parseHuggingFaceConfig(mixtralWith("moe_intermediate_size", "1024"), "c.json", "m");
        QVERIFY(r.ok());
        QCOMPARE(r.value->moe.expertFfn, 1024);
        QCOMPARE(r.value->ffn, 14336);
        r = parseHuggingFaceConfig(mixtralWith("first_k_dense_replace", "3"), "c.json", "m");
        QVERIFY(r.ok());
        QCOMPARE(r.value->moe.denseLayers, 3);
        std::string mistral = llamaWith("model_type", "\"mistral\"");
        r = parseHuggingFaceConfig(mistral, "c.json", "m");
        QVERIFY2(r.ok(), formatAll(r.diagnostics).c_str());
        QCOMPARE(r.value->family, std::string("Mistral (Hugging Face)"));
        r = parseHuggingFaceConfig(llamaWith("sliding_window", "null"), "c.json", "m");
        QVERIFY(r.ok());
        QCOMPARE(r.value->tensorParallelWidths, (std::vector<int>{1, 2, 4, 8}));
        QVERIFY(!looksLikeHuggingFaceConfig("{\"layers\": []}"));
        // Hugging Face writes null for "not set": read as absent. "swish" is SiLU.
        r = parseHuggingFaceConfig(llamaWith("max_position_embeddings", "null"), "c.json", "m");
        QVERIFY2(r.ok(), formatAll(r.diagnostics).c_str());
        QCOMPARE(r.value->maxPositions, 0);
        r = parseHuggingFaceConfig(llamaWith("hidden_act", "null"), "c.json", "m");
        QVERIFY(r.ok());
        r = parseHuggingFaceConfig(llamaWith("hidden_act", "\"swish\""), "c.json", "m");
        QVERIFY(r.ok());
        r = parseHuggingFaceConfig(llamaWith("tie_word_embeddings", "null"), "c.json", "m");
        QVERIFY(r.ok());
        QVERIFY(!r.value->tiedHead);
        r = parseHuggingFaceConfig(llamaWith("num_hidden_layers", "null"), "c.json", "m");
        QCOMPARE(r.status, Status::Error);
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QVERIFY(formatAll(r.diagnostics).find("missing required field \"num_hidden_layers\"") !=
                std::string::npos);
    }

    void projectModelEntries()
    {
        const std::string text = "models:\n"
                                 "  - {huggingface: llama3-8b/config.json, seq: 4096}\n"
                                 "  - {huggingface: gpt2-xl/config.json, seq: 1024, name: mine}\n";
        const Result<ProjectSpec> p = loadProjectText(text, "p.yaml", kDir);
        QVERIFY2(p.ok(), formatAll(p.diagnostics).c_str());
        QCOMPARE(p.value->models.size(), std::size_t(2));
        const ModelRef &llama = p.value->models[0];
        QCOMPARE(llama.label(), std::string("llama3-8b"));
        QCOMPARE(llama.huggingface, std::string("llama3-8b/config.json"));
        QCOMPARE(llama.transformer->sequence, 4096);
        QCOMPARE(p.value->models[1].label(), std::string("mine"));
        GraphBuildOptions options;
        const Result<ModelGraph> g = loadModel(llama, options, kDir);
        QVERIFY(g.ok());
        QCOMPARE(g.value->options.sequence, 4096);
        QCOMPARE(qint64(g.value->totalParameters()), qint64(8030261248));
        // Saved and read back: the same project, the config path kept.
        const std::string saved = saveProjectText(*p.value);
        QVERIFY2(saved.find("huggingface: llama3-8b/config.json") != std::string::npos,
                 saved.c_str());
        const Result<ProjectSpec> again = loadProjectText(saved, "p.yaml", kDir);
        QVERIFY2(again.ok(), formatAll(again.diagnostics).c_str());
        QVERIFY(*again.value == *p.value);
        // No sequence, a missing file, a broken config: located errors.
        const Result<ProjectSpec> noSeq =
            loadProjectText("models: [{huggingface: llama3-8b/config.json}]\n", "p.yaml", kDir);
        QCOMPARE(noSeq.status, Status::Error);
        QVERIFY(formatAll(noSeq.diagnostics).find("p.yaml:1:10: models[0]: a Hugging Face "
                                                  "model needs seq:") != std::string::npos);
        const Result<ProjectSpec> missing =
            loadProjectText("models: [{huggingface: nope/config.json, seq: 8}]\n", "p.yaml", kDir);
        QCOMPARE(missing.status, Status::Error);
        QVERIFY2(formatAll(missing.diagnostics).find("cannot open") != std::string::npos,
                 formatAll(missing.diagnostics).c_str());
        const Result<ProjectSpec> both = loadProjectText(
            "models: [{huggingface: llama3-8b/config.json, zoo: gpt2-xl, seq: 8}]\n", "p.yaml",
            kDir);
        QVERIFY(formatAll(both.diagnostics).find("give exactly one of") != std::string::npos);
    }

    void commandLineModel()
    {
        // A file called config.json is read as a Hugging Face config even when it is broken.
        QTemporaryDir dir;
        const std::string broken = dir.filePath(QStringLiteral("config.json")).toStdString();
        std::ofstream(broken) << "{\"model_type\": \"llama\", \"hidden_size\": }\n";
        GraphBuildOptions seq;
        seq.sequence = 128;
        const Result<ModelGraph> bad = loadModelByName(broken, seq);
        QCOMPARE(bad.status, Status::Error);
        QVERIFY2(formatAll(bad.diagnostics).find("config.json:1:") != std::string::npos &&
                     formatAll(bad.diagnostics).find("operator") == std::string::npos,
                 formatAll(bad.diagnostics).c_str());
        GraphBuildOptions options;
        const std::string path = kDir + "llama3-70b/config.json";
        const Result<ModelGraph> noSeq = loadModelByName(path, options);
        QCOMPARE(noSeq.status, Status::Error);
        QVERIFY(formatAll(noSeq.diagnostics).find("--seq") != std::string::npos);
        options.sequence = 8192;
        options.tensorParallel = 8;
        const Result<ModelGraph> g = loadModelByName(path, options);
        QVERIFY2(g.ok(), formatAll(g.diagnostics).c_str());
        QCOMPARE(g.value->name, std::string("llama3-70b"));
        QCOMPARE(qint64(g.value->totalParameters()), qint64(70553706496));
    }
};

QTEST_GUILESS_MAIN(TestHuggingFace)
#include "test_huggingface.moc"
