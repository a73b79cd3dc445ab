// `phaze arch`, `phaze space` and `phaze estimate`, run as a user would.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace {

QString writeTemp(QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    QFile f(dir.filePath(name));
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return f.fileName();
}

} // namespace

class TestCliCost : public QObject
{
    Q_OBJECT

private slots:
    void helpListsTheCommands()
    {
        const Run help = phaze({"--help"});
        for (const char *sub : {"arch", "space", "estimate"})
            QVERIFY2(help.out.contains(QString("  ") + sub + " "), qPrintable(help.out));
    }

    void archPreset()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("arch.json");
        const Run r = phaze({"arch", "tpuv4", "--json", json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("tpuv4: 8 TCs of 128x128, 2 VCs of 128 lanes"), qPrintable(r.out));
        QVERIFY(r.out.contains("275 TFLOP/s"));
        QVERIFY(r.out.contains("global buffer"));
        QVERIFY(r.out.contains("375.43 mm2"));
        const QJsonObject o = readJson(json);
        QVERIFY(std::abs(o["area_mm2"].toDouble() - 375.433) < 0.01);
        QCOMPARE(o["peak_flops"].toDouble(), 2.0 * 8 * 128 * 128 * 1.05e9);
        QCOMPARE(o["hbm_bandwidth"].toDouble(), 1.2e12);
        QCOMPARE(o["area"].toObject()["uncore"].toDouble(), 150.0);
        QCOMPARE(o["config"].toObject()["num_tc"].toInt(), 8);
    }

    void archFileWithOverridesAndTechnology()
    {
        QTemporaryDir dir;
        writeTemp(dir, "tech.yaml", "area:\n  uncore: 0 mm2\n");
        const QString arch = writeTemp(dir, "small.yaml",
                                       "architecture:\n"
                                       "  preset: tpuv4\n"
                                       "  num_tc: 2\n"
                                       "  glb_size: 32 MiB\n"
                                       "training:\n" // the links are the cluster's
                                       "  link_bandwidth: 8 GiB/s\n"
                                       "technology: tech.yaml\n");
        const QString json = dir.filePath("a.json");
        const Run r = phaze({"arch", arch, "--json", json});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = readJson(json);
        QCOMPARE(o["config"].toObject()["num_tc"].toInt(), 2);
        QCOMPARE(o["link_bandwidth"].toDouble(), 8.0 * (1ull << 30));
        QCOMPARE(o["area"].toObject()["uncore"].toDouble(), 0.0);
        QCOMPARE(o["peak_flops"].toDouble(), 2.0 * 2 * 128 * 128 * 1.05e9);
    }

    void archErrors()
    {
        const Run unknown = phaze({"arch", "tpuv9"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("presets: tpuv4, phaze-largest"));
        QTemporaryDir dir;
        const QString bad = writeTemp(dir, "bad.yaml", "architecture:\n  num_tc: 0\n");
        const Run r = phaze({"arch", bad});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad.yaml:2:11: architecture.num_tc: \"0\" must be at least 1"),
                 qPrintable(r.err));
    }

    void defaultSpace()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("space.json");
        const Run r = phaze({"space", "--json", json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("candidates: 23142 of 75712"), qPrintable(r.out));
        const QJsonObject o = readJson(json);
        QCOMPARE(o["count"].toInt(), 23142);
        QVERIFY(std::abs(o["budget_mm2"].toDouble() - 375.433) < 0.01);
        QCOMPARE(o["area_max_mm2"].toDouble(), o["budget_mm2"].toDouble());
        QVERIFY(o["area_min_mm2"].toDouble() > 150.0);
        QVERIFY(!o.contains("candidates"));
    }

    void projectSpaceWithCandidates()
    {
        QTemporaryDir dir;
        const QString project = writeTemp(dir, "p.yaml",
                                          "models: [gpt2-xl]\n"
                                          "architecture_space:\n"
                                          "  num_tc: [1, 2, 4]\n"
                                          "  tc_width: [128]\n"
                                          "  tc_depth: [128]\n"
                                          "  num_vc: [1, 2]\n"
                                          "  glb_size: [64 MiB]\n"
                                          "  area_budget: 1000 mm2\n"
                                          "  area_min_fraction: 0\n");
        const QString json = dir.filePath("s.json");
        const Run r = phaze({"space", project, "--json", json, "--candidates"});
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = readJson(json);
        QCOMPARE(o["count"].toInt(), 6);
        QCOMPARE(o["budget_mm2"].toDouble(), 1000.0);
        const QJsonArray list = o["candidates"].toArray();
        QCOMPARE(list.size(), 6);
        QCOMPARE(list[0].toObject()["num_tc"].toInt(), 1);
        QCOMPARE(list[5].toObject()["num_tc"].toInt(), 4);
        QCOMPARE(list[5].toObject()["num_vc"].toInt(), 2);

        // With PHAZE's 30% window (150 + 0.3 x 850 = 405 mm2 here), only the chips with a
        // single TC or a single VC stay: the two 2-VC chips with 2 and 4 TCs are too small.
        const QString phaze30 = writeTemp(dir, "p30.yaml",
                                          "models: [gpt2-xl]\n"
                                          "architecture_space:\n"
                                          "  num_tc: [1, 2, 4]\n"
                                          "  tc_width: [128]\n"
                                          "  tc_depth: [128]\n"
                                          "  num_vc: [1, 2]\n"
                                          "  glb_size: [64 MiB]\n"
                                          "  area_budget: 1000 mm2\n");
        QCOMPARE(phaze({"space", phaze30, "--json", json}).exitCode, 0);
        o = readJson(json);
        QCOMPARE(o["count"].toInt(), 4);
        QCOMPARE(o["area_lower_bound_mm2"].toDouble(), 405.0);
    }

    void estimateModel()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("e.json");
        const Run r = phaze({"estimate", "--model", "megatron-gpt2-2.5b", "--arch", "tpuv4", "--tp",
                             "4", "--mbs", "2", "--seq", "512", "--json", json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("block.0"), qPrintable(r.out));
        QVERIFY(r.out.contains("mlp.fc1"));
        const QJsonObject o = readJson(json);
        const QJsonObject arch = o["arch"].toObject();
        QCOMPARE(arch["peak_flops"].toDouble(), 2.0 * 8 * 128 * 128 * 1.05e9);
        QCOMPARE(arch["hbm_bandwidth"].toDouble(), 1.2e12);
        QVERIFY(std::abs(arch["area_mm2"].toDouble() - 375.433) < 0.01);
        const QJsonArray ops = o["ops"].toArray();
        QVERIFY(ops.size() > 30);
        bool sawCollective = false, sawBackward = false;
        for (const QJsonValue &v : ops) {
            const QJsonObject op = v.toObject();
            for (const char *key : {"layer", "name", "kind", "flops", "hbm_bytes",
                                    "latency_single_s", "latency_intra_s", "energy_j"})
                QVERIFY2(op.contains(key), key);
            QVERIFY(op["latency_intra_s"].toDouble() <= op["latency_single_s"].toDouble());
            if (op["kind"].toString() == "TC" || op["kind"].toString() == "TCVC")
                QVERIFY(op["latency_single_s"].toDouble() > 0 && op["flops"].toDouble() > 0);
            sawCollective = sawCollective || op["kind"].toString() == "collective";
            sawBackward = sawBackward || op["pass"].toString() == "backward";
        }
        QVERIFY(sawCollective); // tensor-parallel all-reduces
        QVERIFY(sawBackward);
        // fc1 of a block: m = 2 x 512 tokens, k = 1920, n = 7680 / 4 = 1920, plus the
        // element-wise epilogue (one FLOP per element and part).
        const double gemmFlops = 2.0 * 1024 * 1920 * 1920;
        int found = 0;
        for (const QJsonValue &v : ops) {
            const QJsonObject op = v.toObject();
            if (op["layer"].toString() == "block.0" &&
                op["name"].toString().startsWith("mlp.fc1") && op["pass"].toString() == "forward") {
                ++found;
                QVERIFY(op["flops"].toDouble() >= gemmFlops);
                QVERIFY(op["flops"].toDouble() <= gemmFlops + 3.0 * 1024 * 1920);
            }
        }
        QCOMPARE(found, 1);
    }

    void estimateErrors()
    {
        QCOMPARE(phaze({"estimate", "--model", "gpt2-xl"}).exitCode, 2);
        const Run r = phaze({"estimate", "--model", "gpt2-xxl", "--arch", "tpuv4"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(
            phaze({"estimate", "--model", "gpt2-xl", "--arch", "nope"}).err.contains("presets"));
    }
};

QTEST_APPLESS_MAIN(TestCliCost)
#include "test_cli_cost.moc"
