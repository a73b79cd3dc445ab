// Text the readers accept: valid UTF-8 without control characters other than tab and newline
// (core/base/textcheck.h). Every loader refuses the rest with an error that names the file, the
// line and the column, and every writer round-trips what the loaders accept without throwing.

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/textcheck.h"
#include "core/io/archfile.h"
#include "core/io/jsontext.h"
#include "core/io/operatorgraphjson.h"
#include "core/io/phazejson.h"
#include "core/io/projectedit.h"
#include "core/io/projectfile.h"
#include "core/io/savedresults.h"
#include "core/io/scheduleinstancejson.h"
#include "core/io/searchjson.h"
#include "core/io/technologyfile.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string dataFile(const std::string &relative)
{
    return std::string(PHAZE_TEST_DATA_DIR) + "/" + relative;
}

std::string replaced(std::string text, const std::string &from, const std::string &to)
{
    const std::size_t at = text.find(from);
    if (at == std::string::npos)
        qFatal("test input lacks \"%s\"", from.c_str());
    return text.replace(at, from.size(), to);
}

// The one error a loader gives for bad text: at the expected place, saying what is wrong.
void expectOneLocatedError(const Diagnostics &errors, const std::string &file, int line,
                           int column, const std::string &needle)
{
    QVERIFY2(!errors.empty(), "the bad text was accepted");
    const Diagnostic &d = errors.front();
    const std::string text = d.format();
    QVERIFY2(d.file == file, text.c_str());
    QVERIFY2(d.line == line, text.c_str());
    QVERIFY2(d.column == column, text.c_str());
    QVERIFY2(d.message.find(needle) != std::string::npos, text.c_str());
    // The diagnostic itself is good text: it can be printed and written as JSON.
    QVERIFY2(!findTextProblem(d.message, TextScope::Field), text.c_str());
    QVERIFY2(!findTextProblem(d.path, TextScope::Field), text.c_str());
    QVERIFY(!nlohmann::json(d.message).dump().empty());
}

} // namespace

class TestTextValidation : public QObject
{
    Q_OBJECT

private slots:
    void acceptsUtf8TabAndNewline()
    {
        for (const char *good : {"", "plain", "tab\there", "two\nlines", "Größe ✓ 日本語 𝄞",
                                 "\xEF\xBF\xBD" /* U+FFFD itself */, "\xF4\x8F\xBF\xBF"}) {
            QVERIFY2(!findTextProblem(good, TextScope::Field), good);
            QVERIFY2(!findTextProblem(good, TextScope::Document), good);
        }
        // Line breaks of either convention, and a byte-order mark opening a file.
        QVERIFY(!findTextProblem("a: 1\r\nb: 2\r\n", TextScope::Document));
        QVERIFY(!findTextProblem("\xEF\xBB\xBFname: x\n", TextScope::Document));
    }

    void refusesMalformedUtf8()
    {
        struct Case {
            const char *bytes;
            std::size_t offset;
        };
        const Case cases[] = {
            {"ab\xff", 2},              // never valid
            {"\xc0\xaf", 0},            // overlong "/"
            {"x\xe0\x80\xaf", 1},       // overlong, three bytes
            {"\xed\xa0\x80", 0},        // a UTF-16 surrogate (U+D800)
            {"\xf4\x90\x80\x80", 0},    // above U+10FFFF
            {"\xe2\x82", 0},            // truncated
            {"ok\x80", 2},              // a lone continuation byte
        };
        for (const Case &c : cases) {
            const std::string text = c.bytes;
            for (TextScope scope : {TextScope::Field, TextScope::Document}) {
                const auto problem = findTextProblem(text, scope);
                QVERIFY2(problem, printable(text).c_str());
                QCOMPARE(problem->offset, c.offset);
                QVERIFY2(problem->message.find("UTF-8") != std::string::npos,
                         problem->message.c_str());
            }
        }
    }

    void refusesControlCharacters()
    {
        for (const char *bad : {"a\x05", "\x01", "x\x7f", "nel\xc2\x85", "csi\xc2\x9b", "bell\a"}) {
            const auto problem = findTextProblem(bad, TextScope::Field);
            QVERIFY2(problem, bad);
            QVERIFY2(problem->message.find("control character U+") != std::string::npos,
                     problem->message.c_str());
        }
        // A carriage return ends a line in a file, but is not text in a value.
        QVERIFY(findTextProblem("a\rb", TextScope::Field));
        QVERIFY(!findTextProblem("a\rb", TextScope::Document));
        QVERIFY(findTextProblem(std::string("a\0b", 3), TextScope::Document));
    }

    void printableEscapesWhatIsNotText()
    {
        QCOMPARE(printable("ok \xff\x05 Größe"), std::string("ok \\xff\\x05 Größe"));
        QCOMPARE(printable("\xc2\x85"), std::string("\\xc2\\x85"));
        QVERIFY(!findTextProblem(printable("\xed\xa0\x80\x1b[31m"), TextScope::Field));
    }

    // The input the project fuzzer found: a name of bytes that are not UTF-8, accepted and then
    // saved as something else (tests/fuzz/corpus/projectyaml/crash-name-not-utf8.yaml).
    void projectRefusesTheFuzzerFinding()
    {
        const std::string text = readFile(std::string(PHAZE_SOURCE_DIR) +
                                          "/tests/fuzz/corpus/projectyaml/crash-name-not-utf8.yaml");
        const std::size_t at = text.find('\xff');
        QVERIFY(at != std::string::npos);
        const Result<ProjectSpec> load = loadProjectText(text, "p.yaml");
        QVERIFY(!load.value);
        const int line = 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
        const int column = int(at - (text.rfind('\n', at) == std::string::npos
                                         ? std::string::npos
                                         : text.rfind('\n', at))); // 1-based
        expectOneLocatedError(load.diagnostics, "p.yaml", line, column, "not valid UTF-8");
    }

    void projectRefusesBadText()
    {
        const std::string good = "name: ok\nmodels: [gpt2-xl]\n";
        QVERIFY(loadProjectText(good, "p.yaml").value);
        // Raw bytes: located by the check of the whole file.
        expectOneLocatedError(
            loadProjectText("models: [gpt2-xl]\nname: a\x05z\n", "p.yaml").diagnostics, "p.yaml", 2,
            8, "control character U+0005");
        expectOneLocatedError(
            loadProjectText("models: [gpt2-xl]\nname: \xc3\n", "p.yaml").diagnostics, "p.yaml", 2,
            7, "not valid UTF-8");
        // Escapes decode to control characters the file did not hold: located at the value.
        for (const char *escape : {"\\x05", "\\u0085", "\\r", "\\e", "\\0"}) {
            const Result<ProjectSpec> load = loadProjectText(
                "models: [gpt2-xl]\ndescription: \"a" + std::string(escape) + "b\"\n", "p.yaml");
            expectOneLocatedError(load.diagnostics, "p.yaml", 2, 14, "control character");
            QCOMPARE(load.diagnostics.front().path, std::string("description"));
        }
        // An unknown key holding a control character is named printably.
        const Result<ProjectSpec> key =
            loadProjectText("models: [gpt2-xl]\n\"na\\x1bme\": x\n", "p.yaml");
        QVERIFY(!key.value);
        QVERIFY2(key.diagnostics.front().message.find("na\\x1bme") != std::string::npos,
                 key.diagnostics.front().message.c_str());
    }

    // What the readers accept, the writer writes back unchanged.
    void projectTextRoundTrips()
    {
        const std::string text = "name: \"Größe ✓\\tTab 𝄞\"\n"
                                 "description: \"two\\nlines, a \\\"quote\\\", a # and a: colon\"\n"
                                 "models: [gpt2-xl]\n";
        const Result<ProjectSpec> load = loadProjectText(text, "p.yaml");
        QVERIFY2(load.value, formatAll(load.diagnostics).c_str());
        QCOMPARE(load.value->name, std::string("Größe ✓\tTab 𝄞"));
        QCOMPARE(load.value->description, std::string("two\nlines, a \"quote\", a # and a: colon"));
        const std::string saved = saveProjectText(*load.value);
        const Result<ProjectSpec> again = loadProjectText(saved, "saved.yaml");
        QVERIFY2(again.value, (formatAll(again.diagnostics) + saved).c_str());
        QVERIFY(*again.value == *load.value);
        // A file saved on Windows, with a byte-order mark and CRLF line ends, loads the same.
        const Result<ProjectSpec> windows =
            loadProjectText("\xEF\xBB\xBFname: ok\r\nmodels: [gpt2-xl]\r\n", "w.yaml");
        QVERIFY2(windows.value, formatAll(windows.diagnostics).c_str());
        QCOMPARE(windows.value->name, std::string("ok"));
    }

    void projectEditRefusesBadText()
    {
        const ProjectSpec project = *loadProjectText("models: [gpt2-xl]\n", "p.yaml").value;
        for (const std::string value : {"a\xff", "a\x05", "\"a\\x05\""}) {
            const Result<ProjectSpec> edit = editProjectField(project, "name", "", value, "");
            QVERIFY2(!edit.value, printable(value).c_str());
            QCOMPARE(edit.diagnostics.front().path, std::string("name"));
            QVERIFY(!findTextProblem(edit.diagnostics.front().message, TextScope::Field));
        }
        QVERIFY(editProjectField(project, "name", "", "Größe", "").value);
    }

    void archFileRefusesBadText()
    {
        const std::string good = "architecture:\n  preset: tpuv4\n";
        QVERIFY2(loadArchText(good, "a.yaml").value,
                 formatAll(loadArchText(good, "a.yaml").diagnostics).c_str());
        expectOneLocatedError(
            loadArchText("architecture:\n  preset: tp\xffv4\n", "a.yaml").diagnostics, "a.yaml", 2,
            13, "not valid UTF-8");
        expectOneLocatedError(
            loadArchText("architecture:\n  preset: tpuv4\ntechnology: \"x\\x07\"\n", "a.yaml")
                .diagnostics,
            "a.yaml", 3, 13, "control character U+0007");
    }

    void technologyFileRefusesBadText()
    {
        QVERIFY(loadTechnologyText("name: fine\n", "t.yaml").value);
        expectOneLocatedError(loadTechnologyText("name: bad\x7f\n", "t.yaml").diagnostics, "t.yaml",
                              1, 10, "control character U+007F");
        expectOneLocatedError(
            loadTechnologyText("name: \"bad\\u0009ok\\u001b\"\n", "t.yaml").diagnostics, "t.yaml",
            1, 7, "control character U+001B");
    }

    void operatorGraphRefusesBadText()
    {
        const std::string good = readFile(
            std::string(PHAZE_SOURCE_DIR) + "/tests/fuzz/corpus/operatorgraph/seed-graphs-diamond.json");
        QVERIFY(importOperatorGraph(good, "g.json").ok());
        const std::string raw = replaced(good, "\"name\": \"diamond\"", "\"name\": \"dia\xfe\"");
        expectOneLocatedError(importOperatorGraph(raw, "g.json").diagnostics, "g.json", 4, 15,
                              "not valid UTF-8");
        const std::string escaped =
            replaced(good, "\"name\": \"diamond\"", "\"name\": \"dia\\u0005\"");
        expectOneLocatedError(importOperatorGraph(escaped, "g.json").diagnostics, "g.json", 4, 15,
                              "escaped control character U+0005");
        // An escape in a comment is only text; tab and newline escapes are text too.
        const std::string fine = replaced(good, "\"name\": \"diamond\"",
                                          "// \"\\u0005\"\n  \"name\": \"dia\\tmond\\n\"");
        const Result<ModelGraph> ok = importOperatorGraph(fine, "g.json");
        QVERIFY2(ok.ok(), formatAll(ok.diagnostics).c_str());
        QCOMPARE(ok.value->name, std::string("dia\tmond\n"));
    }

    void phazeInputRefusesBadText()
    {
        const std::string good = readFile(dataFile("phaze-dp/small-chain.input.json"));
        Diagnostics errors;
        QVERIFY(readPhazeInput(good, "in.json", errors));
        const std::string bad = replaced(good, "\"SGD\"", "\"SG\\rD\"");
        const std::size_t at = bad.find("\\r");
        const int line = 1 + int(std::count(bad.begin(), bad.begin() + long(at), '\n'));
        const int column = int(at - bad.rfind('\n', at));
        errors.clear();
        QVERIFY(!readPhazeInput(bad, "in.json", errors));
        expectOneLocatedError(errors, "in.json", line, column, "escaped control character U+000D");
    }

    void scheduleInstanceRefusesBadText()
    {
        const std::string good = readFile(dataFile("schedule/layer-101.json"));
        QVERIFY(parseScheduleInstance(good, "s.json").value);
        const std::string named = replaced(good, "\"kind\": \"VC\"", "\"name\": \"op\\u009f\", \"kind\": \"VC\"");
        const Result<ScheduleInstance> load = parseScheduleInstance(named, "s.json");
        QVERIFY(!load.value);
        QVERIFY2(load.diagnostics.front().line > 1, formatAll(load.diagnostics).c_str());
        QVERIFY(load.diagnostics.front().message.find("U+009F") != std::string::npos);
    }

    void savedResultsAndJournalsRefuseBadText()
    {
        Evaluation e;
        e.candidate = 3;
        e.status = Status::Optimal;
        e.message = "fine: tab\tand newline\n";
        SearchResult r;
        r.status = Status::Optimal;
        r.evaluations = {e};
        r.best = 0;
        r.counts.total = r.counts.evaluated = 1;
        const std::string good = searchResultToJson(r);
        const Result<SearchResult> back = searchResultFromJson(good, "r.json");
        QVERIFY2(back.ok(), back.message.c_str());
        QCOMPARE(back.value->evaluations.front().message, e.message);

        const std::string bad = replaced(good, "fine: tab", "fine\\u0007 tab");
        const Result<SearchResult> refused = searchResultFromJson(bad, "r.json");
        QCOMPARE(refused.status, Status::Error);
        const Diagnostics &errors = refused.diagnostics;
        QVERIFY2(errors.front().line > 1 && errors.front().column > 1, refused.message.c_str());
        QVERIFY(errors.front().message.find("U+0007") != std::string::npos);

        // loadCodesignResult reads through the same check.
        QTemporaryDir dir;
        const std::string path = dir.filePath(u"r.json"_s).toStdString();
        std::ofstream(path, std::ios::binary) << replaced(good, "fine: tab", "fine\xc0 tab");
        const Result<CodesignResult> loaded = loadCodesignResult(path);
        QVERIFY(!loaded.ok());
        QVERIFY2(loaded.message.find("not valid UTF-8") != std::string::npos, loaded.message.c_str());

        // A journal line damaged from outside is refused, naming its line.
        const std::string journal = dir.filePath(u"j.jsonl"_s).toStdString();
        {
            SearchJournal j;
            QVERIFY(j.open(journal, "fp", false).ok());
            QVERIFY(j.append(e).ok());
        }
        std::string lines = readFile(journal);
        std::ofstream(journal, std::ios::binary) << replaced(lines, "fine: tab", "fine\x1b tab");
        const Result<std::vector<Evaluation>> read = SearchJournal::read(journal, "fp");
        QCOMPARE(read.status, Status::Error);
        const std::string &error = read.message;
        QVERIFY2(error.find(":2:") != std::string::npos && error.find("U+001B") != std::string::npos,
                 error.c_str());
    }

    // Writers never throw, even on values that did not come through a reader (a file name from
    // the command line is bytes, not text).
    void jsonWritersNeverThrow()
    {
        const nlohmann::json value = {{"path", std::string("/tmp/a\xff\xfe.yaml")}};
        std::string text;
        try {
            text = dumpJson(value, 1);
        } catch (const std::exception &ex) {
            QFAIL(ex.what());
        }
        QVERIFY(text.find("\xEF\xBF\xBD") != std::string::npos); // U+FFFD in place of the bytes
        Evaluation e;
        e.message = "from a path: \xff";
        QVERIFY(!evaluationToJson(e).empty());
    }
};

QTEST_GUILESS_MAIN(TestTextValidation)
#include "test_textvalidation.moc"
