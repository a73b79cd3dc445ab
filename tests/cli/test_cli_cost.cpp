// `phaze arch`, `phaze space` and `phaze estimate`, run as a user would.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

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
        const Run help = phaze({u"--help"_s});
        for (const char *sub : {"arch", "space", "estimate"})
            QVERIFY2(help.out.contains(u"  "_s + QString::fromUtf8(sub) + u' '),
                     qPrintable(help.out));
    }

    void archPreset()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath(u"arch.json"_s);
        const Run r = phaze({u"arch"_s, u"tpuv4"_s, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"tpuv4: 8 TCs of 128x128, 2 VCs of 128 lanes"_s),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(u"275 TFLOP/s"_s));
        QVERIFY(r.out.contains(u"global buffer"_s));
        // The system profile's chip (the default): PHAZE's 375.43 mm2 plus what its 10 cores
        // carry (control, DMA, instructions, routers: 1.74 mm2).
        QVERIFY2(r.out.contains(u"377.18 mm2"_s), qPrintable(r.out));
        const QJsonObject o = readJson(json);
        QVERIFY(std::abs(o[u"area_mm2"_s].toDouble() - 377.177) < 0.01);
        QCOMPARE(o[u"peak_flops"_s].toDouble(), 2.0 * 8 * 128 * 128 * 1.05e9);
        QCOMPARE(o[u"hbm_bandwidth"_s].toDouble(), 1.2e12);
        QCOMPARE(o[u"area"_s].toObject()[u"uncore"_s].toDouble(), 150.0);
        QCOMPARE(o[u"config"_s].toObject()[u"num_tc"_s].toInt(), 8);
    }

    void archFileWithOverridesAndTechnology()
    {
        QTemporaryDir dir;
        writeTemp(dir, u"tech.yaml"_s, "area:\n  uncore: 0 mm2\n");
        const QString arch = writeTemp(dir, u"small.yaml"_s,
                                       "architecture:\n"
                                       "  preset: tpuv4\n"
                                       "  num_tc: 2\n"
                                       "  glb_size: 32 MiB\n"
                                       "training:\n" // the links are the cluster's
                                       "  link_bandwidth: 8 GiB/s\n"
                                       "technology: tech.yaml\n");
        const QString json = dir.filePath(u"a.json"_s);
        const Run r = phaze({u"arch"_s, arch, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = readJson(json);
        QCOMPARE(o[u"config"_s].toObject()[u"num_tc"_s].toInt(), 2);
        QCOMPARE(o[u"link_bandwidth"_s].toDouble(), 8.0 * (1ull << 30));
        QCOMPARE(o[u"area"_s].toObject()[u"uncore"_s].toDouble(), 0.0);
        QCOMPARE(o[u"peak_flops"_s].toDouble(), 2.0 * 2 * 128 * 128 * 1.05e9);
    }

    void archErrors()
    {
        const Run unknown = phaze({u"arch"_s, u"tpuv9"_s});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(u"presets: tpuv4, phaze-largest"_s));
        QTemporaryDir dir;
        const QString bad = writeTemp(dir, u"bad.yaml"_s, "architecture:\n  num_tc: 0\n");
        const Run r = phaze({u"arch"_s, bad});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"bad.yaml:2:11: architecture.num_tc: \"0\" must be at least 1"_s),
                 qPrintable(r.err));
    }

    void defaultSpace()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath(u"space.json"_s);
        const Run r = phaze({u"space"_s, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"candidates: 23142 of 75712"_s), qPrintable(r.out));
        const QJsonObject o = readJson(json);
        QCOMPARE(o[u"count"_s].toInt(), 23142);
        QVERIFY(std::abs(o[u"budget_mm2"_s].toDouble() - 375.433) < 0.01);
        QCOMPARE(o[u"area_max_mm2"_s].toDouble(), o[u"budget_mm2"_s].toDouble());
        QVERIFY(o[u"area_min_mm2"_s].toDouble() > 150.0);
        QVERIFY(!o.contains(u"candidates"_s));
    }

    void systemProfileChargesPerCoreCostsAndPower()
    {
        QTemporaryDir dir;
        // The default PHAZE space under the system profile's chip: 192 candidates fewer (their
        // per-core control and routers push them over the budget, itself 1.7 mm2 larger).
        const QString json = dir.filePath(u"space.json"_s);
        Run r = phaze({u"space"_s, u"--profile"_s, u"system"_s, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"candidates: 22950 of 75712"_s), qPrintable(r.out));
        QVERIFY(std::abs(readJson(json)[u"budget_mm2"_s].toDouble() - 377.18) < 0.01);
        // A power budget leaves candidates out, and says how many.
        const QString project = writeTemp(dir, u"p.yaml"_s,
                                          "models: [gpt2-xl]\n"
                                          "architecture_space:\n"
                                          "  num_tc: [1, 2, 4, 8]\n"
                                          "  tc_width: [128]\n"
                                          "  tc_depth: [128]\n"
                                          "  num_vc: [1]\n"
                                          "  glb_size: [64 MiB]\n"
                                          "  area_budget: 1000 mm2\n"
                                          "  area_min_fraction: 0\n"
                                          "  power_budget: 100 W\n");
        r = phaze({u"space"_s, project, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(readJson(json)[u"count"_s].toInt(), 2);
        QVERIFY2(r.out.contains(u"power budget: 100.0 W at peak (2 in the area window above it"_s),
                 qPrintable(r.out));

        // `phaze arch`: the power at peak and its breakdown; PHAZE's chip has no static power
        // and no per-core area.
        r = phaze({u"arch"_s, u"tpuv4"_s, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"power at peak (a TDP estimate):"_s), qPrintable(r.out));
        QJsonObject o = readJson(json);
        QVERIFY(std::abs(o[u"peak_power_w"_s].toDouble() - 148.30) < 0.01);
        QVERIFY(std::abs(o[u"power"_s].toObject()[u"static"_s].toDouble() - 37.72) < 0.01);
        QVERIFY(o[u"area"_s].toObject()[u"noc_routers"_s].toDouble() > 1.0);
        r = phaze({u"arch"_s, u"tpuv4"_s, u"--profile"_s, u"phaze"_s, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        o = readJson(json);
        QVERIFY(std::abs(o[u"area_mm2"_s].toDouble() - 375.433) < 0.01);
        QCOMPARE(o[u"power"_s].toObject()[u"static"_s].toDouble(), 0.0);
        QCOMPARE(o[u"area"_s].toObject()[u"noc_routers"_s].toDouble(), 0.0);
        r = phaze({u"arch"_s, u"tpuv4"_s, u"--profile"_s, u"fast"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--profile: \"fast\" is neither system nor phaze"_s),
                 qPrintable(r.err));
    }

    void projectSpaceWithCandidates()
    {
        QTemporaryDir dir;
        const QString project = writeTemp(dir, u"p.yaml"_s,
                                          "models: [gpt2-xl]\n"
                                          "architecture_space:\n"
                                          "  num_tc: [1, 2, 4]\n"
                                          "  tc_width: [128]\n"
                                          "  tc_depth: [128]\n"
                                          "  num_vc: [1, 2]\n"
                                          "  glb_size: [64 MiB]\n"
                                          "  area_budget: 1000 mm2\n"
                                          "  area_min_fraction: 0\n");
        const QString json = dir.filePath(u"s.json"_s);
        const Run r = phaze({u"space"_s, project, u"--json"_s, json, u"--candidates"_s});
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = readJson(json);
        QCOMPARE(o[u"count"_s].toInt(), 6);
        QCOMPARE(o[u"budget_mm2"_s].toDouble(), 1000.0);
        const QJsonArray list = o[u"candidates"_s].toArray();
        QCOMPARE(list.size(), 6);
        QCOMPARE(list[0].toObject()[u"num_tc"_s].toInt(), 1);
        QCOMPARE(list[5].toObject()[u"num_tc"_s].toInt(), 4);
        QCOMPARE(list[5].toObject()[u"num_vc"_s].toInt(), 2);

        // With PHAZE's 30% window (150 + 0.3 x 850 = 405 mm2 here), only the chips with a
        // single TC or a single VC stay: the two 2-VC chips with 2 and 4 TCs are too small.
        const QString phaze30 = writeTemp(dir, u"p30.yaml"_s,
                                          "models: [gpt2-xl]\n"
                                          "architecture_space:\n"
                                          "  num_tc: [1, 2, 4]\n"
                                          "  tc_width: [128]\n"
                                          "  tc_depth: [128]\n"
                                          "  num_vc: [1, 2]\n"
                                          "  glb_size: [64 MiB]\n"
                                          "  area_budget: 1000 mm2\n");
        QCOMPARE(phaze({u"space"_s, phaze30, u"--json"_s, json}).exitCode, 0);
        o = readJson(json);
        QCOMPARE(o[u"count"_s].toInt(), 4);
        QCOMPARE(o[u"area_lower_bound_mm2"_s].toDouble(), 405.0);
    }

    void estimateModel()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath(u"e.json"_s);
        const Run r =
            phaze({u"estimate"_s, u"--model"_s, u"megatron-gpt2-2.5b"_s, u"--arch"_s, u"tpuv4"_s,
                   u"--tp"_s, u"4"_s, u"--mbs"_s, u"2"_s, u"--seq"_s, u"512"_s, u"--json"_s, json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"block.0"_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"mlp.fc1"_s));
        const QJsonObject o = readJson(json);
        const QJsonObject arch = o[u"arch"_s].toObject();
        QCOMPARE(arch[u"peak_flops"_s].toDouble(), 2.0 * 8 * 128 * 128 * 1.05e9);
        QCOMPARE(arch[u"hbm_bandwidth"_s].toDouble(), 1.2e12);
        QVERIFY(std::abs(arch[u"area_mm2"_s].toDouble() - 377.177) < 0.01); // system profile
        const QJsonArray ops = o[u"ops"_s].toArray();
        QVERIFY(ops.size() > 30);
        bool sawCollective = false, sawBackward = false;
        for (const QJsonValue &v : ops) {
            const QJsonObject op = v.toObject();
            for (const char *key : {"layer", "name", "kind", "flops", "hbm_bytes",
                                    "latency_single_s", "latency_intra_s", "energy_j"})
                QVERIFY2(op.contains(QString::fromUtf8(key)), key);
            QVERIFY(op[u"latency_intra_s"_s].toDouble() <= op[u"latency_single_s"_s].toDouble());
            if (op[u"kind"_s].toString() == u"TC"_s || op[u"kind"_s].toString() == u"TCVC"_s)
                QVERIFY(op[u"latency_single_s"_s].toDouble() > 0 && op[u"flops"_s].toDouble() > 0);
            sawCollective = sawCollective || op[u"kind"_s].toString() == u"collective"_s;
            sawBackward = sawBackward || op[u"pass"_s].toString() == u"backward"_s;
        }
        QVERIFY(sawCollective); // tensor-parallel all-reduces
        QVERIFY(sawBackward);
        // fc1 of a block: m = 2 x 512 tokens, k = 1920, n = 7680 / 4 = 1920, plus the
        // element-wise epilogue (one FLOP per element and part).
        const double gemmFlops = 2.0 * 1024 * 1920 * 1920;
        int found = 0;
        for (const QJsonValue &v : ops) {
            const QJsonObject op = v.toObject();
            if (op[u"layer"_s].toString() == u"block.0"_s &&
                op[u"name"_s].toString().startsWith(u"mlp.fc1"_s) &&
                op[u"pass"_s].toString() == u"forward"_s) {
                ++found;
                QVERIFY(op[u"flops"_s].toDouble() >= gemmFlops);
                QVERIFY(op[u"flops"_s].toDouble() <= gemmFlops + 3.0 * 1024 * 1920);
            }
        }
        QCOMPARE(found, 1);
    }

    void estimateProfiles()
    {
        // The default (system) profile charges the execution effects; PHAZE's does not. Same
        // operators, same bytes and energy; every latency at least PHAZE's, and a memory-bound
        // operator's exactly bytes / (87% of the bandwidth) + 1 us.
        QTemporaryDir dir;
        auto run = [&](const QString &profile) {
            const QString json = dir.filePath(profile + u".json"_s);
            QStringList args{u"estimate"_s, u"--model"_s, u"gpt2-xl"_s, u"--arch"_s,
                             u"a100-sxm4-80gb"_s, u"--no-fusion"_s, u"--json"_s, json};
            if (!profile.isEmpty())
                args << u"--profile"_s << profile;
            const Run r = phaze(args);
            if (r.exitCode != 0)
                qFatal("estimate failed: %s", qPrintable(r.err));
            return readJson(json);
        };
        const QJsonObject system = run(QString()), phazeProfile = run(u"phaze"_s);
        QCOMPARE(system[u"profile"_s].toString(), u"system"_s);
        QCOMPARE(phazeProfile[u"profile"_s].toString(), u"phaze"_s);
        QCOMPARE(system[u"arch"_s].toObject()[u"hbm_bandwidth_achieved"_s].toDouble(),
                 0.87 * 2039e9);
        QCOMPARE(phazeProfile[u"arch"_s].toObject()[u"hbm_bandwidth_achieved"_s].toDouble(),
                 2039e9);
        const QJsonArray a = system[u"ops"_s].toArray(), b = phazeProfile[u"ops"_s].toArray();
        QCOMPARE(a.size(), b.size());
        int memoryBound = 0;
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonObject s = a[i].toObject(), p = b[i].toObject();
            QCOMPARE(s[u"name"_s].toString(), p[u"name"_s].toString());
            const QJsonObject si = s[u"intra"_s].toObject(), pi = p[u"intra"_s].toObject();
            QCOMPARE(si[u"hbm_bytes"_s].toDouble(), pi[u"hbm_bytes"_s].toDouble());
            QVERIFY(s[u"latency_intra_s"_s].toDouble() >= p[u"latency_intra_s"_s].toDouble());
            const double eff = s[u"efficiency"_s].toDouble();
            QVERIFY(eff >= 0.0 && eff <= 1.0);
            if (s[u"name"_s].toString() == u"attn.softmax"_s) {
                const double bytes = si[u"hbm_bytes"_s].toDouble();
                QVERIFY(std::abs(s[u"latency_intra_s"_s].toDouble() -
                                 (bytes / (0.87 * 2039e9) + 1e-6)) < 1e-12);
                ++memoryBound;
            }
        }
        QVERIFY(memoryBound >= 1);
        const Run bad = phaze({u"estimate"_s, u"--model"_s, u"gpt2-xl"_s, u"--arch"_s, u"tpuv4"_s,
                               u"--profile"_s, u"ideal"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"--profile: \"ideal\""_s), qPrintable(bad.err));
    }

    void estimateErrors()
    {
        QCOMPARE(phaze({u"estimate"_s, u"--model"_s, u"gpt2-xl"_s}).exitCode, 2);
        const Run r = phaze({u"estimate"_s, u"--model"_s, u"gpt2-xxl"_s, u"--arch"_s, u"tpuv4"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(phaze({u"estimate"_s, u"--model"_s, u"gpt2-xl"_s, u"--arch"_s, u"nope"_s})
                    .err.contains(u"presets"_s));
    }
};

QTEST_APPLESS_MAIN(TestCliCost)
#include "test_cli_cost.moc"
