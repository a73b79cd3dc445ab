// Technology tables: the built-in defaults, the shipped YAML, partial overrides and located
// errors.

#include <QtTest>

#include "core/arch/technology.h"
#include "core/io/technologyfile.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestTechnology : public QObject
{
    Q_OBJECT

private slots:
    void shippedFileEqualsBuiltInDefaults()
    {
        const Result<TechnologyTable> load =
            loadTechnologyFile(PHAZE_SOURCE_DIR "/resources/technology/default.yaml");
        QVERIFY2(load.value.has_value(), formatAll(load.diagnostics).c_str());
        const TechnologyTable &t = *load.value;
        const TechnologyTable &d = defaultTechnology();
        QCOMPARE(t.macArea, d.macArea);
        QCOMPARE(t.glbAreaPerByte, d.glbAreaPerByte);
        QCOMPARE(t.hbmEnergyPerByte, d.hbmEnergyPerByte);
        QCOMPARE(t.vectorCycles, d.vectorCycles);
        QCOMPARE(t.vectorCyclesBackward, d.vectorCyclesBackward);
        QVERIFY(t == d);
    }

    void defaultsArePlausibleFor7nm()
    {
        const TechnologyTable &d = defaultTechnology();
        QCOMPARE(d.macArea, 600e-6);     // mm2
        QCOMPARE(d.macEnergy, 0.25e-12); // J: 0.2-0.3 pJ per bf16 MAC at 7 nm
        QCOMPARE(d.hbmEnergyPerByte, 31e-12);
        QVERIFY(d.hbmEnergyPerByte > d.glbEnergyPerByte);
        QVERIFY(d.glbEnergyPerByte > d.scratchpadEnergyPerByte);
        QVERIFY(d.scratchpadEnergyPerByte > d.registerEnergyPerByte);
    }

    void vectorCyclesByKind()
    {
        const TechnologyTable &d = defaultTechnology();
        QCOMPARE(d.vectorCyclesFor(OpKind::Add, false), 1.0);
        QCOMPARE(d.vectorCyclesFor(OpKind::Softmax, false), 6.0);
        QCOMPARE(d.vectorCyclesFor(OpKind::LayerNorm, true), 9.0);
        QCOMPARE(d.vectorCyclesFor(OpKind::Linear, false), 0.0);
        QCOMPARE(vectorKindIndex(OpKind::EmbeddingGrad), kVectorKindCount - 2);
        QCOMPARE(vectorKindIndex(OpKind::Permute), kVectorKindCount - 1);
        QCOMPARE(d.vectorCyclesFor(OpKind::Permute, true), 1.0);
        QCOMPARE(vectorKindIndex(OpKind::View), -1);
    }

    void partialOverrideKeepsTheRest()
    {
        const Result<TechnologyTable> load = loadTechnologyText("name: dense SRAM\n"
                                                                "area:\n"
                                                                "  glb_per_byte: 0.4 um2\n"
                                                                "energy:\n"
                                                                "  hbm_per_byte: 20 pJ\n"
                                                                "vector_cycles:\n"
                                                                "  gelu: 8\n",
                                                                "dense.yaml");
        QVERIFY2(load.value.has_value(), formatAll(load.diagnostics).c_str());
        const TechnologyTable &t = *load.value;
        QCOMPARE(t.name, std::string("dense SRAM"));
        QCOMPARE(t.glbAreaPerByte, 0.4e-6);
        QCOMPARE(t.hbmEnergyPerByte, 20e-12);
        QCOMPARE(t.vectorCyclesFor(OpKind::Gelu, false), 8.0);
        QCOMPARE(t.vectorCyclesFor(OpKind::Gelu, true), 6.0);
        QCOMPARE(t.macArea, defaultTechnology().macArea);
        QCOMPARE(t.intraSyncCycles, defaultTechnology().intraSyncCycles);
    }

    void errorsAreLocatedAndAllReported()
    {
        const Result<TechnologyTable> load = loadTechnologyText("area:\n"
                                                                "  mac: 0.25 pJ\n"
                                                                "  glb_per_bite: 1 um2\n"
                                                                "energy:\n"
                                                                "  hbm_per_byte: -3 pJ\n"
                                                                "vector_cycles:\n"
                                                                "  softmaks: 4\n"
                                                                "timing:\n"
                                                                "  glb_usable_fraction: 2\n",
                                                                "bad.yaml");
        QVERIFY(!load.value.has_value());
        const std::string all = formatAll(load.diagnostics);
        QCOMPARE(int(load.diagnostics.size()), 5);
        QVERIFY2(all.find("bad.yaml:2:8: area.mac:") != std::string::npos, all.c_str());
        QVERIFY2(all.find("bad.yaml:3:3: area.glb_per_bite: unknown key \"glb_per_bite\" (did "
                          "you mean \"glb_per_byte\"?)") != std::string::npos,
                 all.c_str());
        QVERIFY(all.find("bad.yaml:5:17: energy.hbm_per_byte:") != std::string::npos);
        QVERIFY(all.find("did you mean \"softmax\"") != std::string::npos);
        QVERIFY(all.find("timing.glb_usable_fraction: \"2\" must be at most 1") !=
                std::string::npos);
    }

    void syntaxErrorAndMissingFile()
    {
        const Result<TechnologyTable> syntax = loadTechnologyText("area: [1, 2\n", "broken.yaml");
        QVERIFY(!syntax.value);
        QCOMPARE(int(syntax.diagnostics.size()), 1);
        QVERIFY(syntax.diagnostics.front().message.find("YAML syntax error") != std::string::npos);
        const Result<TechnologyTable> missing = loadTechnologyFile("/nonexistent/tech.yaml");
        QVERIFY(!missing.value);
        QVERIFY(missing.diagnostics.front().message.find("cannot open") != std::string::npos);
    }

    void resolveDefaultAndRelativePaths()
    {
        const Result<TechnologyTable> builtIn = resolveTechnology("default");
        QVERIFY(builtIn.value && *builtIn.value == defaultTechnology());
        QTemporaryDir dir;
        QFile f(dir.filePath(u"t.yaml"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("area:\n  uncore: 0 mm2\n");
        f.close();
        const Result<TechnologyTable> relative =
            resolveTechnology("t.yaml", dir.path().toStdString());
        QVERIFY2(relative.value.has_value(), formatAll(relative.diagnostics).c_str());
        QCOMPARE(relative.value->uncoreArea, 0.0);
        QVERIFY(QFile::exists(QString::fromStdString(defaultTechnologyPath())));
    }
};

QTEST_APPLESS_MAIN(TestTechnology)
#include "test_technology.moc"
