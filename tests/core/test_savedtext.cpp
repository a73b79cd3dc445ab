// The saved text of a project does not move: saveProjectText(load(file)) of every example and
// test project, and of a few projects built in code, is byte for byte the committed text under
// tests/data/saved/ (produced from main before the writer came from the parameter registry, by
// the same loads and constructions as below; since then rewritten only where a change was meant:
// the system profile's keys, and `profile: phaze` once the system profile became the default).

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/projectfile.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

// PHAZE_REWRITE_SAVED=1 rewrites the expected texts: only for a change meant to change what a
// project saves as, said in its commit (like scripts/make-golden.sh for the goldens).
void rewriteIfAsked(const std::string &path, const std::string &text)
{
    if (qEnvironmentVariableIsSet("PHAZE_REWRITE_SAVED"))
        std::ofstream(path, std::ios::binary) << text;
}

std::string readText(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// One of each value shape: no preset (every field written), an explicit list of a range
// parameter, a vc_width list, an area budget in mm2, a model file with a sequence length,
// non-default choices and a fusion switch that is off.
ProjectSpec everyShape()
{
    ProjectSpec p = defaultProject();
    p.name = "every shape";
    p.models.push_back(ModelRef{"", "graphs/two-tower.json", 128, {}, ""});
    p.architecture->preset.clear();
    p.architecture->config.numTc = 4;
    p.architecture->config.glbBytes = 48.0 * 1024 * 1024;
    p.architecture->config.frequency = 940e6;
    p.space->numTc = ValueRange::list({1, 2, 4});
    p.space->vcWidth = {64, 128};
    p.space->glbSize = ValueRange::powersOfTwo(4.0 * 1024 * 1024, 32.0 * 1024 * 1024);
    p.space->areaBudgetPreset.clear();
    p.space->areaBudget = 412.5;
    p.space->areaMinFraction = 0.125;
    p.technology = "tech.yaml";
    p.training.accelerators = 64;
    p.training.globalBatch = 512;
    p.training.microbatchSizes = {2};
    p.training.hbmSizes = {16.0 * (1ull << 30), 80e9};
    p.training.recomputation = {true};
    p.training.tensorParallelWidths = {1, 2, 4};
    p.training.optimizer = Optimizer::Adam;
    p.training.linkBandwidth = 25e9;
    p.training.pipelineSchedule = PipelineSchedule::GPipe;
    p.search.strategy = SearchStrategy::Phaze;
    p.search.threads = 3;
    p.search.ilpTimeLimit = 0.0123;
    p.search.mipGap = 0.01;
    p.search.maxDownsets = 40000;
    p.search.fusion = false;
    return p;
}

// A preset other than tpuv4 with two overrides: only those are written.
ProjectSpec presetOverrides()
{
    ProjectSpec p;
    p.models.push_back(ModelRef{"bert-large", "", 0, {}, ""});
    p.architecture = ArchitectureSpec{};
    p.architecture->preset = "phaze-largest";
    p.architecture->config = findAcceleratorPreset("phaze-largest")->config;
    p.architecture->config.hbmBytes = 64.0 * (1ull << 30);
    p.architecture->config.bytesPerElement = 4;
    return p;
}

} // namespace

class TestSavedText : public QObject
{
    Q_OBJECT

private slots:
    void filesSaveAsBefore_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        const std::filesystem::path saved = PHAZE_TEST_DATA_DIR "/saved";
        int examples = 0;
        for (const auto &[dir, savedDir] :
             {std::pair{std::filesystem::path(PHAZE_SOURCE_DIR "/examples"), saved / "examples"},
              std::pair{std::filesystem::path(PHAZE_TEST_DATA_DIR "/projects"),
                        saved / "projects"}}) {
            for (const auto &entry : std::filesystem::directory_iterator(dir)) {
                if (entry.path().extension() != ".yaml")
                    continue;
                const std::filesystem::path expected = savedDir / entry.path().filename();
                const std::string row =
                    savedDir.filename().string() + "/" + entry.path().filename().string();
                QTest::newRow(row.c_str()) << QString::fromStdString(entry.path().string())
                                           << QString::fromStdString(expected.string());
                examples += dir.filename() == "examples";
            }
        }
        QTest::newRow("projects/default-project.yaml")
            << QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml")
            << QString::fromStdString((saved / "projects/default-project.yaml").string());
        QVERIFY(examples >= 13);
    }

    void filesSaveAsBefore()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        // A new example needs its expected text: one that is missing fails here.
        QVERIFY2(std::filesystem::exists(expected.toStdString()), qPrintable(expected));
        const Result<ProjectSpec> load = loadProjectFile(input.toStdString());
        QVERIFY2(load.value, formatAll(load.diagnostics).c_str());
        rewriteIfAsked(expected.toStdString(), saveProjectText(*load.value));
        QCOMPARE(saveProjectText(*load.value), readText(expected.toStdString()));
    }

    void specsSaveAsBefore_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name :
             {"default-project", "every-shape", "preset-overrides", "empty-spec"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void specsSaveAsBefore()
    {
        QFETCH(QString, name);
        const ProjectSpec p = name == u"default-project"_s    ? defaultProject()
                              : name == u"every-shape"_s      ? everyShape()
                              : name == u"preset-overrides"_s ? presetOverrides()
                                                              : ProjectSpec{};
        const std::string path = PHAZE_TEST_DATA_DIR "/saved/specs/" + name.toStdString() + ".yaml";
        rewriteIfAsked(path, saveProjectText(p));
        const std::string expected = readText(path);
        QVERIFY(!expected.empty());
        QCOMPARE(saveProjectText(p), expected);
    }
};

QTEST_APPLESS_MAIN(TestSavedText)
#include "test_savedtext.moc"
