// Project files: loading, lossless round trip and located error messages.

#include <QtTest>

#include <filesystem>
#include <fstream>

#include "core/arch/parameterregistry.h"
#include "core/base/units.h"
#include "core/io/projectfile.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

std::string dataFile(const char *name)
{
    return std::string(PHAZE_TEST_DATA_DIR) + "/projects/" + name;
}

std::string allErrors(const Result<ProjectSpec> &load)
{
    return formatAll(load.diagnostics);
}

} // namespace

class TestProjectFile : public QObject
{
    Q_OBJECT

private slots:
    void loadsEveryField()
    {
        const Result<ProjectSpec> load = loadProjectFile(dataFile("full.yaml"));
        QVERIFY2(load.value, allErrors(load).c_str());
        const ProjectSpec &p = *load.value;
        QCOMPARE(p.name, std::string("Everything set"));
        QCOMPARE(p.models.size(), size_t(2));
        QCOMPARE(p.models[1].zoo, std::string("bert-large"));
        QCOMPARE(p.models[1].sequence, 256);
        QVERIFY(p.architecture);
        QCOMPARE(p.architecture->preset, std::string("tpuv4"));
        QCOMPARE(p.architecture->config.numTc, 4);
        QCOMPARE(p.architecture->config.tcWidth, 128); // from the preset
        QCOMPARE(p.architecture->config.hbmBandwidth, 2.4e12);
        QCOMPARE(p.architecture->config.frequency, 940e6);
        QVERIFY(p.space);
        QCOMPARE(p.space->numTc.expand(), (std::vector<double>{1, 2, 4, 8, 16, 32, 64}));
        QCOMPARE(p.space->tcWidth.expand(), (std::vector<double>{32, 64, 128}));
        QCOMPARE(p.space->glbSize.expand().size(), size_t(5));
        QCOMPARE(p.space->areaBudget, 600.0);
        QVERIFY(p.space->areaBudgetPreset.empty());
        QCOMPARE(p.training.accelerators, 512);
        QCOMPARE(p.training.hbmSizes, (std::vector<double>{16.0 * (1ull << 30), 80e9}));
        QCOMPARE(p.training.recomputation, std::vector<bool>{true});
        QCOMPARE(p.training.tensorParallelWidths, (std::vector<int>{4, 8}));
        QCOMPARE(p.training.optimizer, Optimizer::Adam);
        QCOMPARE(p.training.linkBandwidth, 25e9);
        QCOMPARE(p.training.pipelineSchedule, PipelineSchedule::GPipe);
        QCOMPARE(p.search.strategy, SearchStrategy::Phaze);
        QCOMPARE(p.search.ilpTimeLimit, 0.5);
        QCOMPARE(p.search.fusion, false);
    }

    void roundTripIsLossless_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("full") << "full.yaml";
        QTest::newRow("minimal") << "minimal.yaml";
    }

    void roundTripIsLossless()
    {
        QFETCH(QString, file);
        const Result<ProjectSpec> first = loadProjectFile(dataFile(file.toUtf8().constData()));
        QVERIFY2(first.value, allErrors(first).c_str());
        const std::string saved = saveProjectText(*first.value);
        const Result<ProjectSpec> second = loadProjectText(saved, "saved.yaml");
        QVERIFY2(second.value, (allErrors(second) + "\n" + saved).c_str());
        QVERIFY(*first.value == *second.value);
        // Saving is a fixed point: the same text again.
        QCOMPARE(saveProjectText(*second.value), saved);
    }

    void defaultProjectRoundTrips()
    {
        const ProjectSpec p = defaultProject();
        const Result<ProjectSpec> load = loadProjectText(saveProjectText(p), "default.yaml");
        QVERIFY2(load.value, allErrors(load).c_str());
        QVERIFY(*load.value == p);
    }

    void oddValuesRoundTrip()
    {
        ProjectSpec p = defaultProject();
        p.training.profile = ModelProfile::Phaze; // which reads the link bandwidth
        p.training.hbmSizes = {12345678901.0, 0.1 * (1ull << 30), 3e10 / 7.0};
        p.training.linkBandwidth = 1e12 / 3.0;
        p.architecture->config.frequency = 1.234567891e9;
        p.architecture->config.glbBytes = 3.0 * (1 << 20) + 1;
        p.search.ilpTimeLimit = 0.0123;
        const Result<ProjectSpec> load = loadProjectText(saveProjectText(p), "odd.yaml");
        QVERIFY2(load.value, allErrors(load).c_str());
        QVERIFY(*load.value == p);
    }

    // Struct member defaults must equal the registry defaults (the registry is the truth).
    void defaultsMatchRegistry()
    {
        const Result<ProjectSpec> load = loadProjectText("models: [gpt2-xl]\n", "min.yaml");
        QVERIFY2(load.value, allErrors(load).c_str());
        const TrainingSpec t;
        const SearchSpec s;
        const AcceleratorConfig a;
        const ParameterRegistry &r = ParameterRegistry::instance();
        QCOMPARE(double(t.accelerators),
                 r.find(ParamGroup::Training, "accelerators")->defaultValue);
        QCOMPARE(double(t.globalBatch), r.find(ParamGroup::Training, "global_batch")->defaultValue);
        QCOMPARE(t.linkBandwidth, r.find(ParamGroup::Training, "link_bandwidth")->defaultValue);
        QCOMPARE(s.ilpTimeLimit, r.find(ParamGroup::Search, "ilp_time_limit")->defaultValue);
        QCOMPARE(s.mipGap, r.find(ParamGroup::Search, "mip_gap")->defaultValue);
        QCOMPARE(double(s.maxDownsets), r.find(ParamGroup::Search, "max_downsets")->defaultValue);
        QCOMPARE(double(a.numTc), r.find(ParamGroup::Architecture, "num_tc")->defaultValue);
        QCOMPARE(double(a.tcWidth), r.find(ParamGroup::Architecture, "tc_width")->defaultValue);
        QCOMPARE(double(a.numVc), r.find(ParamGroup::Architecture, "num_vc")->defaultValue);
        QCOMPARE(a.glbBytes, r.find(ParamGroup::Architecture, "glb_size")->defaultValue);
        QCOMPARE(a.hbmBytes, r.find(ParamGroup::Architecture, "hbm_size")->defaultValue);
        QCOMPARE(a.hbmBandwidth, r.find(ParamGroup::Architecture, "hbm_bandwidth")->defaultValue);
        QCOMPARE(a.frequency, r.find(ParamGroup::Architecture, "frequency")->defaultValue);
        // List defaults: the registry's default text parses to the struct default.
        const std::string text =
            "models: [gpt2-xl]\ntraining:\n  profile: phaze\n  microbatch_sizes: " +
            r.find(ParamGroup::Training, "microbatch_sizes")->defaultText +
            "\n  hbm_sizes: " + r.find(ParamGroup::Training, "hbm_sizes")->defaultText +
            "\n  recomputation: " + r.find(ParamGroup::Training, "recomputation")->defaultText +
            "\n";
        const Result<ProjectSpec> listed = loadProjectText(text, "lists.yaml");
        QVERIFY2(listed.value, allErrors(listed).c_str());
        TrainingSpec phaze = t;
        phaze.profile = ModelProfile::Phaze; // which reads recomputation
        QVERIFY(listed.value->training == phaze);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bandwidth as size")
            << "models: [gpt2-xl]\ntraining:\n  hbm_sizes: [32 GiB, 64 GB/s]\n"
            << "p.yaml:3:23: training.hbm_sizes[1]: \"64 GB/s\" is a bandwidth, expected a size";
        QTest::newRow("malformed yaml") << "models: [gpt2-xl\ntraining:\n  accelerators: 4\n"
                                        << "p.yaml:2:";
        QTest::newRow("tabs and colons") << "models: [gpt2-xl]\ntraining: : :\n"
                                         << "p.yaml:2:";
        QTest::newRow("unknown key suggestion")
            << "models: [gpt2-xl]\ntraining:\n  acelerators: 64\n"
            << "p.yaml:3:3: training.acelerators: unknown key \"acelerators\" (did you mean "
               "\"accelerators\"?)";
        QTest::newRow("unknown top-level key")
            << "models: [gpt2-xl]\ntrainig: {}\n"
            << "p.yaml:2:1: trainig: unknown key \"trainig\" (did you mean \"training\"?)";
        QTest::newRow("wrong type list")
            << "models: [gpt2-xl]\ntraining:\n  accelerators: [1, 2]\n"
            << "p.yaml:3:17: training.accelerators: expected a number, found a list";
        QTest::newRow("not a whole number")
            << "models: [gpt2-xl]\ntraining:\n  accelerators: 2.5\n"
            << "training.accelerators: \"2.5\" must be a whole number";
        QTest::newRow("out of range low") << "models: [gpt2-xl]\ntraining:\n  accelerators: 0\n"
                                          << "training.accelerators: \"0\" must be at least 1";
        QTest::newRow("out of range high")
            << "models: [gpt2-xl]\narchitecture:\n  num_tc: 100000\n"
            << "architecture.num_tc: \"100000\" must be at most 4096";
        QTest::newRow("nan") << "models: [gpt2-xl]\narchitecture:\n  frequency: .nan\n"
                             << "architecture.frequency: \".nan\" is not a number";
        QTest::newRow("negative size")
            << "models: [gpt2-xl]\narchitecture:\n  hbm_size: -4 GiB\n"
            << "architecture.hbm_size: \"-4 GiB\" must be at least 1 MiB";
        QTest::newRow("power of two")
            << "models: [gpt2-xl]\narchitecture_space:\n  num_tc: [1, 3]\n"
            << "architecture_space.num_tc[1]: \"3\" must be a power of two";
        QTest::newRow("range order")
            << "models: [gpt2-xl]\narchitecture_space:\n  num_tc: {min: 8, max: 2}\n"
            << "architecture_space.num_tc: min is larger than max";
        QTest::newRow("unknown model")
            << "models: [gpt2-xxl]\n"
            << "p.yaml:1:10: models[0]: unknown model \"gpt2-xxl\" (did you mean \"gpt2-xl\"?)";
        QTest::newRow("no models") << "training: {}\n"
                                   << "models: a project needs at least one";
        QTest::newRow("unknown preset")
            << "models: [gpt2-xl]\narchitecture: {preset: tpuv9}\n"
            << "architecture.preset: unknown preset \"tpuv9\"; presets: tpuv4";
        QTest::newRow("bad choice") << "models: [gpt2-xl]\ntraining:\n  optimizer: lamb\n"
                                    << "training.optimizer: \"lamb\" is not one of: sgd | adam";
        QTest::newRow("bad bool") << "models: [gpt2-xl]\ntraining:\n  recomputation: [maybe]\n"
                                  << "training.recomputation[0]: \"maybe\" is not true or false";
        QTest::newRow("missing graph file") << "models: [{file: nowhere.json}]\n"
                                            << "models[0].file: no such file";
        QTest::newRow("zoo and file") << "models: [{zoo: gpt2-xl, file: a.json}]\n"
                                      << "give exactly one of";
        QTest::newRow("not a map") << "- 1\n- 2\n"
                                   << "a project file is a map";
        QTest::newRow("empty list") << "models: [gpt2-xl]\ntraining:\n  microbatch_sizes: []\n"
                                    << "training.microbatch_sizes: the list is empty";
        QTest::newRow("version") << "phaze_project: 7\nmodels: [gpt2-xl]\n"
                                 << "format version 7 is not supported";
    }

    void errors()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const Result<ProjectSpec> load =
            loadProjectText(yaml.toStdString(), "p.yaml", "/nonexistent");
        QVERIFY(!load.value);
        QVERIFY(!load.diagnostics.empty());
        const QString text = QString::fromStdString(allErrors(load));
        QVERIFY2(text.contains(expected), qPrintable(text));
    }

    void reportsEveryError()
    {
        const Result<ProjectSpec> load = loadProjectText(
            "models: [gpt2-xl, nosuchmodel]\ntraining:\n  accelerators: -1\n  hbm_sizes: [1 GHz]\n"
            "search:\n  threads: many\n",
            "many.yaml");
        QVERIFY(!load.value);
        QCOMPARE(load.diagnostics.size(), size_t(4));
        QCOMPARE(load.diagnostics[0].line, 1);
        QCOMPARE(load.diagnostics[3].path, std::string("search.threads"));
        QCOMPARE(load.diagnostics[3].line, 6);
    }

    void saveIsAtomic()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(u"project.yaml"_s).toStdString();
        ProjectSpec p = defaultProject();
        QVERIFY(saveProjectFile(p, path).ok());
        p.name = "changed";
        QVERIFY(saveProjectFile(p, path).ok());
        const Result<ProjectSpec> load = loadProjectFile(path);
        QVERIFY2(load.value, allErrors(load).c_str());
        QCOMPARE(load.value->name, std::string("changed"));
        // No temporary file is left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
        // An unwritable target gives an error naming the path; the old file is untouched.
        const std::string bad = dir.filePath(u"missing-dir/p.yaml"_s).toStdString();
        const Outcome saved = saveProjectFile(p, bad);
        QCOMPARE(saved.status, Status::Error);
        QVERIFY(saved.message.find(bad) != std::string::npos);
    }

    void missingFileIsAnError()
    {
        const Result<ProjectSpec> load = loadProjectFile("/no/such/project.yaml");
        QVERIFY(!load.value);
        QVERIFY(load.diagnostics.front().format().find("cannot open") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestProjectFile)
#include "test_projectfile.moc"
