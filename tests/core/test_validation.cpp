// `phaze validate`'s engine: the validation-file reader (located errors, keys not modelled yet)
// and the predictions of the published Megatron-LM runs on Selene
// (tests/data/validation/korthikanti2022-selene.yaml).

#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/io/validationfile.h"
#include "core/io/validationreport.h"

using namespace phaze;

namespace {

const std::string kSelene = PHAZE_SOURCE_DIR "/tests/data/validation/korthikanti2022-selene.yaml";

const char *kSmall = R"(format: phaze-validation/1
name: small
systems:
  s:
    chip: a100-sxm4-80gb
    devices_per_node: 8
    intra_node: {bandwidth: 300 GB/s}
    inter_node: {bandwidth: 25 GB/s}
models:
  m: {layers: 4, hidden: 1024, heads: 16, ffn: 4096, sequence: 1024, vocabulary: 51200}
runs:
  - name: r
    model: m
    system: s
    training: {devices: 8, tp: 8, pp: 1, dp: 1, global_batch: 8, microbatch: 1}
    measured: {iteration_time: 1 s}
)";

std::string replaced(std::string text, const std::string &from, const std::string &to)
{
    const auto at = text.find(from);
    if (at != std::string::npos)
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

class TestValidation : public QObject
{
    Q_OBJECT

private slots:
    void readsASmallFile()
    {
        const Result<ValidationSuite> s = loadValidationText(kSmall, "small.yaml");
        QVERIFY2(s.ok(), s.message.c_str());
        QCOMPARE(s.value->runs.size(), std::size_t(1));
        const ValidationRun &r = s.value->runs.front();
        QCOMPARE(r.problem.layout.tensor, 8);
        QCOMPARE(r.problem.layout.globalBatch, 8LL);
        QCOMPARE(r.problem.cluster.intraNode.bandwidth, 300e9);
        QCOMPARE(r.problem.cluster.intraNode.efficiency, 0.70); // dgx-a100's, not given here
        QCOMPARE(r.measured.front().value, 1.0);
    }

    void acceptsZooModels()
    {
        const std::string text = replaced(
            kSmall,
            "m: {layers: 4, hidden: 1024, heads: 16, ffn: 4096, sequence: 1024, vocabulary: 51200}",
            "m: {zoo: gpt2-xl}");
        const Result<ValidationSuite> s = loadValidationText(text, "small.yaml");
        QVERIFY2(s.ok(), s.message.c_str());
        QCOMPARE(s.value->runs.front().problem.model.key, std::string("gpt2-xl"));
        QCOMPARE(s.value->runs.front().problem.model.layers, 48);
        const Result<ValidationSuite> bad =
            loadValidationText(replaced(text, "zoo: gpt2-xl", "zoo: gpt9"), "small.yaml");
        QCOMPARE(bad.status, Status::Error);
        QVERIFY(formatAll(bad.diagnostics).find("no zoo model 'gpt9'") != std::string::npos);
    }

    void acceptsHuggingFaceModelsAndFusedAttention()
    {
        // A model given by its config.json (relative to the validation file), with GQA, and a
        // run that says its attention kernels were fused.
        std::string text = replaced(
            kSmall,
            "m: {layers: 4, hidden: 1024, heads: 16, ffn: 4096, sequence: 1024, vocabulary: 51200}",
            "m: {huggingface: huggingface/llama3-8b/config.json, sequence: 2048}");
        text = replaced(text, "microbatch: 1}", "microbatch: 1, attention: fused}");
        const std::string file = PHAZE_SOURCE_DIR "/tests/data/v.yaml";
        const Result<ValidationSuite> s = loadValidationText(text, file);
        QVERIFY2(s.ok(), formatAll(s.diagnostics).c_str());
        const TrainingProblem &p = s.value->runs.front().problem;
        QCOMPARE(p.model.kvHeads, 8);
        QCOMPARE(p.model.sequence, 2048);
        QCOMPARE(p.recipe.attention, AttentionKernel::Fused);
        QVERIFY(validateSuites({*s.value}, defaultTechnology())
                    .failures.empty());
        // No sequence, a broken config, another key beside it: located errors.
        const Result<ValidationSuite> noSeq =
            loadValidationText(replaced(text, ", sequence: 2048", ""), file);
        QVERIFY(formatAll(noSeq.diagnostics).find("needs sequence:") != std::string::npos);
        const Result<ValidationSuite> missing =
            loadValidationText(replaced(text, "llama3-8b", "nope"), file);
        QVERIFY(formatAll(missing.diagnostics).find("cannot open") != std::string::npos);
        const Result<ValidationSuite> extra =
            loadValidationText(replaced(text, "sequence: 2048", "sequence: 2048, layers: 3"),
                               file);
        QVERIFY2(formatAll(extra.diagnostics).find("models.m.layers: a huggingface: model takes "
                                                   "only sequence:") != std::string::npos,
                 formatAll(extra.diagnostics).c_str());
    }

    void errorsAreLocated_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown key") << "microbatch: 1}"
                                     << "microbatch: 1, bogus: 2}"
                                     << "small.yaml:15:81: runs[0].training.bogus";
        QTest::newRow("cp") << "microbatch: 1}"
                            << "microbatch: 1, cp: 0}"
                            << "runs[0].training.cp";
        QTest::newRow("fp8") << "microbatch: 1}"
                             << "microbatch: 1, precision: fp8-mixed}"
                             << "fp8 mixed precision is not modelled yet";
        QTest::newRow("moe") << "vocabulary: 51200}"
                             << "vocabulary: 51200, experts: 8}"
                             << "a mixture of experts needs experts_per_token and expert_ffn";
        QTest::newRow("devices") << "devices: 8"
                                 << "devices: 16"
                                 << "tp x pp x dp = 8";
        QTest::newRow("chip") << "a100-sxm4-80gb"
                              << "a100-pcie"
                              << "unknown chip preset";
        QTest::newRow("datasheet")
            << "    devices_per_node: 8"
            << "    datasheet: {hbm_bandwidth: 1555 GB/s}\n    devices_per_node: 8"
            << "the chip preset models";
        QTest::newRow("model") << "model: m"
                               << "model: q"
                               << "no model 'q'";
        QTest::newRow("quantity") << "iteration_time: 1 s"
                                  << "iteration_time: 1 GiB"
                                  << "runs[0].measured.iteration_time";
        QTest::newRow("format") << "phaze-validation/1"
                                << "phaze-validation/9"
                                << "not supported";
    }

    void errorsAreLocated()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expected);
        const std::string text = replaced(kSmall, from.toStdString(), to.toStdString());
        const Result<ValidationSuite> s = loadValidationText(text, "small.yaml");
        QCOMPARE(s.status, Status::Error);
        QVERIFY(!s.diagnostics.empty());
        const QString all = QString::fromStdString(formatAll(s.diagnostics));
        QVERIFY2(all.contains(expected), qPrintable(all));
        QVERIFY2(all.startsWith(QStringLiteral("small.yaml:")), qPrintable(all));
    }

    void seleneRunsArePredicted()
    {
        const Result<ValidationSuite> s = loadValidationFile(kSelene);
        QVERIFY2(s.ok(), s.message.c_str());
        QCOMPARE(s.value->runs.size(), std::size_t(16));
        const ValidationReport report =
            validateSuites({*s.value}, defaultTechnology());
        QVERIFY(report.failures.empty());
        QCOMPARE(report.entries.size(), std::size_t(8 + 16));
        QCOMPARE(report.summary.size(), std::size_t(3));
        // Where the model stands today (docs/validation.md): activations within a few percent
        // of the paper's formula; parameters + optimizer above the paper's figures by the
        // embedding the first stage holds (their figures count the blocks only); iteration
        // times short by 2-11% with the execution effects, 6.7% on average (the 3% / 8% target
        // of issue 15 is not met yet). These bounds catch a regression; tighten them as the
        // model improves.
        for (const ValidationSummary &q : report.summary) {
            if (q.quantity == ValidationQuantity::MemoryActivations) {
                QVERIFY2(q.meanAbsError < 0.02 && q.maxAbsError < 0.035,
                         qPrintable(QString::number(q.meanAbsError)));
            } else if (q.quantity == ValidationQuantity::MemoryParamsAndOptimizer) {
                QVERIFY(q.meanAbsError < 0.07 && q.maxAbsError < 0.115);
            } else {
                QVERIFY2(q.meanAbsError < 0.07 && q.maxAbsError < 0.115,
                         qPrintable(QString::number(q.meanAbsError)));
            }
        }
        for (const ValidationEntry &e : report.entries) {
            if (e.quantity == ValidationQuantity::MemoryParamsAndOptimizer) {
                // Never below: every block parameter is counted, with 18 bytes each.
                QVERIFY(e.error >= 0.0);
            }
            if (e.quantity == ValidationQuantity::IterationTime) {
                QVERIFY2(e.error < 0.0 && e.error > -0.115, e.run.c_str());
            }
        }
    }

    void reportJsonHasOneEntryPerRunAndQuantity()
    {
        const Result<ValidationSuite> s = loadValidationFile(kSelene);
        QVERIFY(s.ok());
        const ValidationReport report =
            validateSuites({*s.value}, defaultTechnology());
        const nlohmann::json j = nlohmann::json::parse(validationReportJson(report));
        QCOMPARE(j["format"].get<std::string>(), std::string("phaze-validation-report/1"));
        QCOMPARE(j["entries"].size(), std::size_t(24));
        const nlohmann::json &first = j["entries"][0];
        QCOMPARE(first["name"].get<std::string>(), std::string("22b-full"));
        QCOMPARE(first["quantity"].get<std::string>(), std::string("iteration_time"));
        QCOMPARE(first["unit"].get<std::string>(), std::string("s"));
        QCOMPARE(first["measured"].get<double>(), 1.42);
        const double error = first["error"].get<double>();
        QVERIFY(std::fabs(error - (first["predicted"].get<double>() - 1.42) / 1.42) < 1e-12);
        QCOMPARE(j["summary"][0]["count"].get<int>(), 8);
        QCOMPARE(j["runs"].size(), std::size_t(16));
        const nlohmann::json &run = j["runs"][0];
        double sum = 0.0;
        for (const auto &[key, value] : run["time_s"].items())
            sum += value.get<double>();
        QVERIFY(std::fabs(sum - run["iteration_time_s"].get<double>()) < 1e-9 * sum);
    }
};

QTEST_APPLESS_MAIN(TestValidation)
#include "test_validation.moc"
