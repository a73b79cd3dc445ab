// The registry's sections in files: the project reader and the architecture-file reader accept
// the same architecture keys with the same results, link_bandwidth is a training setting in
// both, a key in the wrong section says where it goes, and every parameter survives save and
// load through its binding.

#include <QtTest>

#include "core/arch/parameterregistry.h"
#include "core/io/archfile.h"
#include "core/io/projectfile.h"
#include "tests/support/parametervalues.h"

using namespace phaze;
using testsupport::otherValue;

namespace {

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
        const Result<ProjectSpec> project =
            loadProjectText("models: [gpt2-xl]\n" + section, "p.yaml");
        QVERIFY2(project.value, errorsOf(project.diagnostics).c_str());
        const Result<ArchFile> arch = loadArchText(section, "a.yaml");
        QVERIFY2(arch.value, errorsOf(arch.diagnostics).c_str());
        QVERIFY(project.value->architecture->config == arch.value->config);
        QCOMPARE(p.get(arch.value->config), value);
        QCOMPARE(arch.value->name, std::string("tpuv4"));
    }

    // The chip-to-chip links are the cluster's: under training: in both kinds of file.
    void linkBandwidthIsATrainingSetting()
    {
        const std::string wrong = "architecture:\n  preset: tpuv4\n  link_bandwidth: 8 GiB/s\n";
        const std::string expected = "architecture.link_bandwidth: \"link_bandwidth\" goes under "
                                     "training:, not under architecture:";
        const Result<ProjectSpec> project =
            loadProjectText("models: [gpt2-xl]\n" + wrong, "p.yaml");
        QVERIFY(!project.value);
        QVERIFY2(errorsOf(project.diagnostics).find("p.yaml:4:3: " + expected) != std::string::npos,
                 errorsOf(project.diagnostics).c_str());
        const Result<ArchFile> arch = loadArchText(wrong, "a.yaml");
        QVERIFY(!arch.value);
        QVERIFY2(errorsOf(arch.diagnostics).find("a.yaml:3:3: " + expected) != std::string::npos,
                 errorsOf(arch.diagnostics).c_str());

        const std::string right = "architecture:\n  preset: tpuv4\n  num_tc: 2\n"
                                  "training:\n  profile: phaze\n  link_bandwidth: 8 GiB/s\n";
        const Result<ProjectSpec> p = loadProjectText("models: [gpt2-xl]\n" + right, "p.yaml");
        QVERIFY2(p.value, errorsOf(p.diagnostics).c_str());
        QCOMPARE(p.value->training.linkBandwidth, 8.0 * (1ull << 30));
        // A preset no longer overrides the file's link bandwidth.
        const Result<ArchFile> a = loadArchText(right, "a.yaml");
        QVERIFY2(a.value, errorsOf(a.diagnostics).c_str());
        QCOMPARE(a.value->config.linkBandwidth, 8.0 * (1ull << 30));
        QCOMPARE(a.value->config.numTc, 2);
        const Result<ArchFile> bad = loadArchText("architecture: tpuv4\ntraining:\n"
                                                  "  link_bandwidth: -1 GiB/s\n",
                                                  "a.yaml");
        QVERIFY(!bad.value);
        QVERIFY2(errorsOf(bad.diagnostics)
                         .find("a.yaml:3:19: training.link_bandwidth: \"-1 GiB/s\" "
                               "must be at least") != std::string::npos,
                 errorsOf(bad.diagnostics).c_str());
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
        const Result<ProjectSpec> load =
            loadProjectText("models: [gpt2-xl]\n" + yaml.toStdString(), "p.yaml");
        QVERIFY(!load.value);
        QCOMPARE(load.diagnostics.size(), std::size_t(1));
        QVERIFY2(load.diagnostics.front().format().find(expected.toStdString()) !=
                     std::string::npos,
                 load.diagnostics.front().format().c_str());
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
        // Without a preset the chip's link is not written under architecture: (the links are
        // training:'s or the cluster's), so it reads back as the template's.
        project.architecture->config.linkBandwidth = AcceleratorConfig{}.linkBandwidth;
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
            if (p.scope != ProfileScope::Both) // written only under the profile that reads it
                project.training.profile =
                    p.scope == ProfileScope::System ? ModelProfile::System : ModelProfile::Phaze;
            set = p.set(project.training, value);
            break;
        case ParamGroup::Cluster:
            project.training.profile = ModelProfile::System;
            project.cluster.preset.clear();
            set = p.set(project.cluster, value);
            break;
        case ParamGroup::Strategy:
            project.training.profile = ModelProfile::System;
            set = p.set(project.strategy, value);
            break;
        case ParamGroup::Search:
            set = p.set(project.search, value);
            break;
        }
        QVERIFY(set);
        QVERIFY(!(project == defaultProject()));
        const std::string text = saveProjectText(project);
        QVERIFY2(text.find(p.key + ": " + p.valueText(value)) != std::string::npos, text.c_str());
        const Result<ProjectSpec> load = loadProjectText(text, "again.yaml");
        QVERIFY2(load.value, errorsOf(load.diagnostics).c_str());
        QVERIFY(*load.value == project);
    }
};

QTEST_APPLESS_MAIN(TestParameterSections)
#include "test_parametersections.moc"
