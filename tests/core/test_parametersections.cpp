// The registry's sections in files: the project reader and the architecture-file reader accept
// the same architecture keys with the same results, link_bandwidth is a training setting in
// both, a key in the wrong section says where it goes, and every parameter survives save and
// load through its binding.

#include <QtTest>

#include "core/arch/parameterregistry.h"
#include "core/io/archfile.h"
#include "core/io/projectfile.h"

using namespace phaze;

namespace {

// A value other than the default, inside the range, as a project file writes it.
ParamValue otherValue(const ParameterSpec &p)
{
    ParamValue v;
    const double value = p.type == ParamType::Boolean ? 1.0 - p.defaultValue : p.max;
    switch (p.shape) {
    case ParamShape::Scalar:
        v.number = value;
        break;
    case ParamShape::List:
        v.list = {p.type == ParamType::Boolean ? 1.0 : p.min, value};
        break;
    case ParamShape::Range:
        v.range = ValueRange::powersOfTwo(p.min, p.max);
        if (p.defaultText == p.valueText(v)) // the default is the whole range
            v.range = ValueRange::list({p.min, p.max});
        break;
    }
    return v;
}

std::string errorsOf(const Diagnostics &errors)
{
    return formatAll(errors);
}

} // namespace

class TestParameterSections : public QObject
{
    Q_OBJECT

private slots:
    void readersAcceptTheSameArchitectureKeys_data()
    {
        QTest::addColumn<QString>("key");
        for (const ParameterSpec *p : ParameterRegistry::instance().group(ParamGroup::Architecture))
            QTest::newRow(p->key.c_str()) << QString::fromStdString(p->key);
    }

    void readersAcceptTheSameArchitectureKeys()
    {
        QFETCH(QString, key);
        const ParameterSpec &p =
            *ParameterRegistry::instance().find(ParamGroup::Architecture, key.toStdString());
        const ParamValue value = otherValue(p);
        const std::string section =
            "architecture:\n  preset: tpuv4\n  " + p.key + ": " + p.valueText(value) + "\n";
        const ProjectLoad project = loadProjectText("models: [gpt2-xl]\n" + section, "p.yaml");
        QVERIFY2(project.project, errorsOf(project.errors).c_str());
        const ArchFileLoad arch = loadArchText(section, "a.yaml");
        QVERIFY2(arch.arch, errorsOf(arch.errors).c_str());
        QVERIFY(project.project->architecture->config == arch.arch->config);
        QCOMPARE(p.get(arch.arch->config), value);
        QCOMPARE(arch.arch->name, std::string("tpuv4"));
    }

    // The chip-to-chip links are the cluster's: under training: in both kinds of file.
    void linkBandwidthIsATrainingSetting()
    {
        const std::string wrong = "architecture:\n  preset: tpuv4\n  link_bandwidth: 8 GiB/s\n";
        const std::string expected = "architecture.link_bandwidth: \"link_bandwidth\" goes under "
                                     "training:, not under architecture:";
        const ProjectLoad project = loadProjectText("models: [gpt2-xl]\n" + wrong, "p.yaml");
        QVERIFY(!project.project);
        QVERIFY2(errorsOf(project.errors).find("p.yaml:4:3: " + expected) != std::string::npos,
                 errorsOf(project.errors).c_str());
        const ArchFileLoad arch = loadArchText(wrong, "a.yaml");
        QVERIFY(!arch.arch);
        QVERIFY2(errorsOf(arch.errors).find("a.yaml:3:3: " + expected) != std::string::npos,
                 errorsOf(arch.errors).c_str());

        const std::string right = "architecture:\n  preset: tpuv4\n  num_tc: 2\n"
                                  "training:\n  link_bandwidth: 8 GiB/s\n";
        const ProjectLoad p = loadProjectText("models: [gpt2-xl]\n" + right, "p.yaml");
        QVERIFY2(p.project, errorsOf(p.errors).c_str());
        QCOMPARE(p.project->training.linkBandwidth, 8.0 * (1ull << 30));
        // A preset no longer overrides the file's link bandwidth.
        const ArchFileLoad a = loadArchText(right, "a.yaml");
        QVERIFY2(a.arch, errorsOf(a.errors).c_str());
        QCOMPARE(a.arch->config.linkBandwidth, 8.0 * (1ull << 30));
        QCOMPARE(a.arch->config.numTc, 2);
        const ArchFileLoad bad = loadArchText("architecture: tpuv4\ntraining:\n"
                                              "  link_bandwidth: -1 GiB/s\n",
                                              "a.yaml");
        QVERIFY(!bad.arch);
        QVERIFY2(errorsOf(bad.errors)
                         .find("a.yaml:3:19: training.link_bandwidth: \"-1 GiB/s\" "
                               "must be at least") != std::string::npos,
                 errorsOf(bad.errors).c_str());
    }

    void misplacedKeysNameTheirSection_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("space key under architecture")
            << "architecture:\n  area_budget: 300 mm2\n"
            << "architecture.area_budget: \"area_budget\" goes under architecture_space:, not "
               "under architecture:";
        QTest::newRow("search key under training")
            << "training:\n  threads: 2\n"
            << "training.threads: \"threads\" goes under search:, not under training:";
        QTest::newRow("architecture key under training, or a typo")
            << "training:\n  hbm_size: 32 GiB\n"
            << "training.hbm_size: \"hbm_size\" goes under architecture:, not under training: "
               "(or did you mean \"hbm_sizes\"?)";
        QTest::newRow("a plain typo") << "search:\n  thread: 2\n"
                                      << "search.thread: unknown key \"thread\" (did you mean "
                                         "\"threads\"?)";
    }

    void misplacedKeysNameTheirSection()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const ProjectLoad load =
            loadProjectText("models: [gpt2-xl]\n" + yaml.toStdString(), "p.yaml");
        QVERIFY(!load.project);
        QCOMPARE(load.errors.size(), std::size_t(1));
        QVERIFY2(load.errors.front().format().find(expected.toStdString()) != std::string::npos,
                 load.errors.front().format().c_str());
    }

    // Every parameter, set to a value other than its default through its binding, is written
    // and read back to the same project.
    void everyParameterRoundTrips_data()
    {
        QTest::addColumn<int>("index");
        const std::vector<ParameterSpec> &all = ParameterRegistry::instance().all();
        for (std::size_t i = 0; i < all.size(); ++i)
            QTest::newRow((std::string(paramGroupName(all[i].group)) + "." + all[i].key).c_str())
                << int(i);
    }

    void everyParameterRoundTrips()
    {
        QFETCH(int, index);
        const ParameterSpec &p = ParameterRegistry::instance().all()[std::size_t(index)];
        ProjectSpec project = defaultProject();
        project.architecture->preset.clear();
        const ParamValue value = otherValue(p);
        bool set = false;
        switch (p.group) {
        case ParamGroup::Architecture:
            set = p.set(project.architecture->config, value);
            break;
        case ParamGroup::Space:
            set = p.set(*project.space, value);
            break;
        case ParamGroup::Training:
            set = p.set(project.training, value);
            break;
        case ParamGroup::Search:
            set = p.set(project.search, value);
            break;
        }
        QVERIFY(set);
        QVERIFY(!(project == defaultProject()));
        const std::string text = saveProjectText(project);
        QVERIFY2(text.find(p.key + ": " + p.valueText(value)) != std::string::npos, text.c_str());
        const ProjectLoad load = loadProjectText(text, "again.yaml");
        QVERIFY2(load.project, errorsOf(load.errors).c_str());
        QVERIFY(*load.project == project);
    }
};

QTEST_APPLESS_MAIN(TestParameterSections)
#include "test_parametersections.moc"
