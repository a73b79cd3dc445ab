// One shape for loaders and writers (docs/architecture.md, "Engine calls"): every loader gives
// Optimal with its value on good input and Error with located diagnostics (file, line, column)
// on bad input, with the message their formatted text; every writer gives an Outcome, whose
// Error names the path.

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/io/archfile.h"
#include "core/io/atomicfile.h"
#include "core/io/modelloader.h"
#include "core/io/operatorgraphjson.h"
#include "core/io/projectedit.h"
#include "core/io/projectfile.h"
#include "core/io/projectprepare.h"
#include "core/io/scheduleinstancejson.h"
#include "core/io/searchjson.h"
#include "core/io/technologyfile.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

const std::string kGraphs = PHAZE_SOURCE_DIR "/examples/graphs";
const std::string kBadGraphs = PHAZE_TEST_DATA_DIR "/graphs";

// Optimal with a value and nothing to report.
template <typename T> bool isAnswer(const Result<T> &r)
{
    return r.status == Status::Optimal && r.hasValue() && r.diagnostics.empty() &&
           r.message.empty();
}

// Error without a value, its first diagnostic in `file` at `line` (0: any line above 0), and
// the message every diagnostic formatted.
template <typename T>
void expectLocatedError(const Result<T> &r, const std::string &file, int line = 0)
{
    QCOMPARE(r.status, Status::Error);
    QVERIFY(!r.hasValue());
    QVERIFY(!r.ok());
    QVERIFY(!r.diagnostics.empty());
    const Diagnostic &d = r.diagnostics.front();
    QCOMPARE(d.file, file);
    if (line > 0)
        QCOMPARE(d.line, line);
    else
        QVERIFY2(d.line > 0, d.format().c_str());
    QVERIFY2(d.column > 0, d.format().c_str());
    QCOMPARE(r.message, formatAll(r.diagnostics));
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class TestLoaderResults : public QObject
{
    Q_OBJECT

private slots:
    void projectFile()
    {
        QVERIFY(isAnswer(loadProjectText("models: [gpt2-xl]\n", "p.yaml")));
        QVERIFY(isAnswer(loadProjectFile(PHAZE_SOURCE_DIR "/examples/quick-search.yaml")));
        expectLocatedError(
            loadProjectText("models: [gpt2-xl]\ntraining:\n  global_batch: -4\n", "p.yaml"),
            "p.yaml", 3);
        expectLocatedError(loadProjectText("models: [gpt2-xl]\nbogus: 1\n", "p.yaml"), "p.yaml", 2);
        // A file that cannot be opened has no line: still an Error naming the file.
        const Result<ProjectSpec> missing = loadProjectFile("/no/such/project.yaml");
        QCOMPARE(missing.status, Status::Error);
        QCOMPARE(missing.diagnostics.front().file, std::string("/no/such/project.yaml"));
    }

    void projectEdit()
    {
        const Result<ProjectSpec> edited =
            editProjectField(defaultProject(), "training", "global_batch", "512");
        QVERIFY(isAnswer(edited));
        QCOMPARE(edited.value->training.globalBatch, 512LL);
        // An edit's diagnostics name the field; the regenerated text's lines are not shown.
        const Result<ProjectSpec> bad =
            editProjectField(defaultProject(), "training", "global_batch", "-4");
        QCOMPARE(bad.status, Status::Error);
        QVERIFY(!bad.hasValue());
        QCOMPARE(bad.diagnostics.front().file, std::string("edit"));
        QCOMPARE(bad.diagnostics.front().line, 0);
        QCOMPARE(bad.message, formatAll(bad.diagnostics));
    }

    void operatorGraph()
    {
        QVERIFY(isAnswer(importOperatorGraphFile(kGraphs + "/diamond.json")));
        QVERIFY(isAnswer(importOperatorGraph(readFile(kGraphs + "/diamond.json"), "d.json")));
        expectLocatedError(importOperatorGraphFile(kBadGraphs + "/bad-syntax.json"),
                           kBadGraphs + "/bad-syntax.json", 8);
        expectLocatedError(importOperatorGraph("{\"format\": [\n", "x.json"), "x.json", 2);
    }

    void architectureFile()
    {
        QVERIFY(isAnswer(loadArchText("architecture:\n  preset: tpuv4\n", "a.yaml")));
        QVERIFY(isAnswer(loadArchByName("tpuv4")));
        expectLocatedError(loadArchText("architecture:\n  preset: tpuv4\n  bogus: 1\n", "a.yaml"),
                           "a.yaml", 3);
        QCOMPARE(loadArchByName("no-such-preset").status, Status::Error);
    }

    void technologyFile()
    {
        QVERIFY(isAnswer(loadTechnologyText("name: fine\n", "t.yaml")));
        QVERIFY(isAnswer(resolveTechnology("default")));
        QVERIFY(isAnswer(loadTechnologyFile(defaultTechnologyPath())));
        expectLocatedError(loadTechnologyText("name: x\narea:\n  bogus: 1 um2\n", "t.yaml"),
                           "t.yaml", 3);
        expectLocatedError(loadTechnologyText("area: [1, 2\n", "t.yaml"), "t.yaml");
    }

    void scheduleInstance()
    {
        QVERIFY(isAnswer(loadScheduleInstance(PHAZE_TEST_DATA_DIR "/schedule/layer-103.json")));
        expectLocatedError(
            parseScheduleInstance("{\"num_tc\": 1,\n \"num_vc\": 0, \"ops\": []}", "s.json"),
            "s.json", 2);
        expectLocatedError(parseScheduleInstance("{\"num_tc\": [\n", "s.json"), "s.json", 2);
    }

    void model()
    {
        GraphBuildOptions options;
        QVERIFY(isAnswer(loadModel(ModelRef{"gpt2-xl", "", 0, {}, ""}, options)));
        QVERIFY(isAnswer(loadModel(ModelRef{"", "diamond.json", 0, {}, ""}, options, kGraphs)));
        const std::string bad = (std::filesystem::path(kBadGraphs) / "bad-syntax.json").string();
        expectLocatedError(loadModel(ModelRef{"", "bad-syntax.json", 0, {}, ""}, options, kBadGraphs), bad,
                           8);
        QCOMPARE(loadModel(ModelRef{"no-such-model", "", 0, {}, ""}, options).status, Status::Error);
    }

    void preparedProject()
    {
        const Result<ProjectSpec> project =
            loadProjectFile(PHAZE_SOURCE_DIR "/examples/branching-diamond.yaml");
        QVERIFY2(project.ok(), project.message.c_str());
        QVERIFY(isAnswer(prepareProject(*project.value, PHAZE_SOURCE_DIR "/examples")));

        // A model that does not build: its file's located diagnostic, and the message the
        // search reports, prefixed with the model's label.
        ProjectSpec broken = *project.value;
        broken.models = {ModelRef{"", "bad-syntax.json", 0, {}, ""}};
        const Result<std::shared_ptr<const PreparedProject>> prepared =
            prepareProject(broken, kBadGraphs);
        QCOMPARE(prepared.status, Status::Error);
        QVERIFY(!prepared.hasValue());
        QCOMPARE(prepared.diagnostics.size(), std::size_t(1));
        const Diagnostic &d = prepared.diagnostics.front();
        QCOMPARE(d.line, 8);
        QCOMPARE(d.column, 47);
        QCOMPARE(prepared.message, broken.models.front().label() + ": " + d.format());
    }

    void savedSearchResult()
    {
        SearchResult r;
        r.status = Status::Infeasible;
        r.message = "nothing fits";
        const Result<SearchResult> back = searchResultFromJson(searchResultToJson(r), "r.json");
        QVERIFY(isAnswer(back));
        // The loader's status is the load's; the search keeps its own.
        QCOMPARE(back.value->status, Status::Infeasible);
        expectLocatedError(searchResultFromJson("{\n  \"message\": \"a\\u0007b\"\n}", "r.json"),
                           "r.json", 2);
    }

    void journal()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(u"j.jsonl"_s).toStdString();
        {
            SearchJournal journal;
            QVERIFY(journal.open(path, "fp", false).ok());
        }
        QVERIFY(isAnswer(SearchJournal::read(path, "fp")));
        std::ofstream(path, std::ios::app | std::ios::binary) << "{\"candidate\": \"x\"}\n";
        const Result<std::vector<Evaluation>> damaged = SearchJournal::read(path, "fp");
        QCOMPARE(damaged.status, Status::Error);
        QCOMPARE(damaged.diagnostics.front().file, path);
        QCOMPARE(damaged.diagnostics.front().line, 2);
        QVERIFY2(damaged.message.rfind(path + ":2: not a journal line", 0) == 0,
                 damaged.message.c_str());

        // A journal that cannot be opened: an Error Outcome naming the path.
        SearchJournal journal;
        const std::string unwritable = dir.filePath(u"no-dir/j.jsonl"_s).toStdString();
        const Outcome opened = journal.open(unwritable, "fp", false);
        QCOMPARE(opened.status, Status::Error);
        QCOMPARE(opened.diagnostics.front().file, unwritable);
        QVERIFY2(opened.message.rfind(unwritable + ": cannot open the journal for writing: ", 0) ==
                     0,
                 opened.message.c_str());
    }

    void atomicWrites()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(u"out.json"_s).toStdString();
        const Outcome written = writeFileAtomically(path, "{}\n");
        QCOMPARE(written.status, Status::Optimal);
        QVERIFY(written.ok() && written.message.empty() && written.diagnostics.empty());
        QCOMPARE(readFile(path), std::string("{}\n"));
        QVERIFY(probeWritable(path).ok());

        // An unwritable path: an Error whose message (and diagnostic) names the path, with the
        // OS reason; the message is the one users have always read.
        const std::string bad = dir.filePath(u"missing-dir/out.json"_s).toStdString();
        const Outcome failed = writeFileAtomically(bad, "{}\n");
        QCOMPARE(failed.status, Status::Error);
        QVERIFY(!failed.ok() && !failed.hasValue());
        QCOMPARE(failed.diagnostics.size(), std::size_t(1));
        QCOMPARE(failed.diagnostics.front().file, bad);
        const std::string parent = std::filesystem::path(bad).parent_path().string();
        QCOMPARE(failed.message, bad + ": cannot write: No such file or directory (the directory " +
                                     parent + " does not exist)");
        QCOMPARE(probeWritable(bad).message, failed.message);
        QCOMPARE(probeWritable(dir.path().toStdString()).message,
                 dir.path().toStdString() + ": cannot write: it is a directory");
        QCOMPARE(probeWritable("").message, std::string("an output path is empty"));

        const Outcome saved = saveProjectFile(defaultProject(), bad);
        QCOMPARE(saved.status, Status::Error);
        QCOMPARE(saved.message, failed.message);
    }
};

QTEST_GUILESS_MAIN(TestLoaderResults)
#include "test_loaderresults.moc"
