// Saving a project keeps the comments of the file it was read from, beside the same keys, and
// never changes a value.

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/projectedit.h"
#include "core/io/projectfile.h"
#include "core/io/yamlcomments.h"

using namespace phaze;

namespace {

std::string readText(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The comment texts of a YAML text ("# ..." to the end of the line), in order.
std::vector<std::string> commentsOf(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (const std::size_t at = line.find("# "); at != std::string::npos)
            out.push_back(line.substr(at));
    return out;
}

// The line of `text` that holds `needle`, or "".
std::string lineWith(const std::string &text, const std::string &needle)
{
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.find(needle) != std::string::npos)
            return line;
    return {};
}

} // namespace

class TestYamlComments : public QObject
{
    Q_OBJECT

private slots:
    void commentsFollowTheirKeys()
    {
        const std::string original = "# header: what this project is\n"
                                     "\n"
                                     "phaze_project: 1\n"
                                     "# the models\n"
                                     "models: [gpt2-xl]  # one model\n"
                                     "training:\n"
                                     "  # per device\n"
                                     "  global_batch: 512   # sequences\n"
                                     "  accelerators: 64\n"
                                     "# closing remark\n";
        // Emitted in another order and another style, as the writer does.
        const std::string emitted = "phaze_project: 1\n"
                                    "models:\n"
                                    "  - gpt2-xl\n"
                                    "training:\n"
                                    "  accelerators: 128\n"
                                    "  global_batch: 512\n";
        const std::string merged = carryYamlComments(original, emitted);
        QCOMPARE(merged, std::string("# header: what this project is\n"
                                     "\n"
                                     "phaze_project: 1\n"
                                     "# the models\n"
                                     "models:  # one model\n"
                                     "  - gpt2-xl\n"
                                     "training:\n"
                                     "  accelerators: 128\n"
                                     "  # per device\n"
                                     "  global_batch: 512  # sequences\n"
                                     "# closing remark\n"));
    }

    void itemsAreMatchedByName()
    {
        const std::string original = "models:\n"
                                     "  # the small one\n"
                                     "  - name: a\n"
                                     "    seq: 512  # short\n"
                                     "  - name: b  # the big one\n";
        const std::string emitted = "models:\n"
                                    "  - name: b\n"
                                    "  - name: a\n"
                                    "    seq: 1024\n";
        QCOMPARE(carryYamlComments(original, emitted), std::string("models:\n"
                                                                   "  - name: b  # the big one\n"
                                                                   "  # the small one\n"
                                                                   "  - name: a\n"
                                                                   "    seq: 1024  # short\n"));
        // A flow item without a name is matched by its position when it comes back named.
        QCOMPARE(carryYamlComments("models:\n  - {huggingface: x/config.json}  # from HF\n",
                                   "models:\n  - {name: x, huggingface: x/config.json}\n"),
                 std::string("models:\n  - {name: x, huggingface: x/config.json}  # from HF\n"));
    }

    void commentsOfARemovedKeyGoWithIt()
    {
        const std::string merged =
            carryYamlComments("a: 1\n# about b\nb: 2  # two\nc: 3\n", "a: 1\nc: 4\n");
        QCOMPARE(merged, std::string("a: 1\nc: 4\n"));
    }

    void hashesThatAreNotCommentsStay()
    {
        // '#' inside quotes, inside a word and in a block scalar is text, not a comment.
        const std::string original = "name: \"run #3\"  # third\n"
                                     "tag: a#b\n"
                                     "description: |\n"
                                     "  # not a comment\n"
                                     "  text\n"
                                     "note: it's here  # apostrophe\n";
        const std::string emitted = "name: \"run #3\"\n"
                                    "tag: a#b\n"
                                    "description: |\n"
                                    "  # not a comment\n"
                                    "  text\n"
                                    "note: it's here\n";
        QCOMPARE(carryYamlComments(original, emitted),
                 std::string("name: \"run #3\"  # third\n"
                             "tag: a#b\n"
                             "description: |\n"
                             "  # not a comment\n"
                             "  text\n"
                             "note: it's here  # apostrophe\n"));
    }

    void neverChangesAValue()
    {
        // Without comments the emitted text comes back as it is.
        QCOMPARE(carryYamlComments("a: 1\n", "a: 2\n"), std::string("a: 2\n"));
        // Where a comment would change the document it is dropped. Here the scanner takes the
        // second line of a quoted scalar for a key, and the comment would become its text.
        const std::string emitted = "a: \"first\n  b: 2\"\n";
        QCOMPARE(carryYamlComments("a:\n  # c\n  b: 2\n", emitted), emitted);
    }

    void everyExampleKeepsItsCommentsThroughAnEdit()
    {
        const std::filesystem::path examples = std::filesystem::path(PHAZE_SOURCE_DIR) / "examples";
        int files = 0;
        for (const auto &entry : std::filesystem::directory_iterator(examples)) {
            if (entry.path().extension() != ".yaml")
                continue;
            const std::string original = readText(entry.path());
            const Result<ProjectSpec> loaded = loadProjectFile(entry.path().string());
            QVERIFY2(loaded.value, entry.path().c_str());
            Result<ProjectSpec> edited = editProjectField(*loaded.value, "name", "", "edited",
                                                          entry.path().parent_path().string());
            QVERIFY(edited.value);
            const std::string merged = carryYamlComments(original, saveProjectText(*edited.value));
            // Every comment is kept, and the text reads back as the edited project.
            QCOMPARE(commentsOf(merged).size(), commentsOf(original).size());
            const Result<ProjectSpec> back = loadProjectText(merged, entry.path().filename(),
                                                             entry.path().parent_path().string());
            QVERIFY2(back.value, formatAll(back.diagnostics).c_str());
            QVERIFY2(*back.value == *edited.value, entry.path().c_str());
            ++files;
        }
        QVERIFY(files >= 15);
        // The profile's end-of-line comment of bert-large.yaml is still on its line.
        const std::string bert = readText(examples / "bert-large.yaml");
        const std::string saved = carryYamlComments(
            bert,
            saveProjectText(*loadProjectText(bert, "bert-large.yaml", examples.string()).value));
        QCOMPARE(lineWith(saved, "profile:"),
                 std::string("  profile: phaze  # PHAZE's formulas exactly: this project "
                             "reproduces PHAZE"));
    }

    void savedFilesKeepTheirComments()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("p.yaml")).toStdString();
        const std::string original = "# my study\nphaze_project: 1\nmodels: [gpt2-xl]\n"
                                     "training:\n  accelerators: 64  # one pod\n";
        const Result<ProjectSpec> p = loadProjectText(original, "p.yaml");
        QVERIFY(p.value);
        QVERIFY(saveProjectFile(*p.value, path, original).ok());
        const std::string saved = readText(path);
        QCOMPARE(saved.substr(0, 11), std::string("# my study\n"));
        QCOMPARE(lineWith(saved, "accelerators:"), std::string("  accelerators: 64  # one pod"));
        QVERIFY(saveProjectFile(*p.value, path).ok()); // without the source text: none
        QVERIFY(commentsOf(readText(path)).empty());
    }
};

QTEST_APPLESS_MAIN(TestYamlComments)
#include "test_yamlcomments.moc"
