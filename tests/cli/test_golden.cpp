// Numbers that must not move: `phaze search` on every example project (a fixed shard of its
// candidates, with the baselines) and `phaze place` on every PHAZE instance give exactly the
// JSON committed in tests/data/golden/ (written by scripts/make-golden.sh). A refactoring passes
// it unchanged; a change that is meant to change numbers regenerates the files and says why.
// Only the timings (elapsed_s, profile) are left out of the comparison.

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/cli/clirunner.h"

using namespace Qt::StringLiterals;

namespace {

const QString kExamples = QStringLiteral(PHAZE_SOURCE_DIR "/examples");
const QString kGolden = QStringLiteral(PHAZE_TEST_DATA_DIR "/golden");

// Must match scripts/make-golden.sh: 1/200 of the 69,426 candidates of the examples that search
// the full space keeps the test under a minute; quick-search is searched whole.
// A system-profile example (training: {profile: system}) is evaluated, not searched: the
// architecture search does not run that profile yet. Must match scripts/make-golden.sh.
bool usesSystemProfile(const QString &example)
{
    QFile f(QStringLiteral(PHAZE_SOURCE_DIR "/examples/") + example + u".yaml"_s);
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll()).contains(u"profile: system"_s);
}

QStringList shardOf(const QString &example)
{
    return example == u"quick-search"_s ? QStringList{} : QStringList{u"--shard"_s, u"1/200"_s};
}

QJsonValue withoutTimings(QJsonValue value)
{
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        o.remove(u"elapsed_s"_s);
        o.remove(u"profile"_s);
        // Provenance, not a number: which shard of which search (checked by test_slurm_search
        // and test_cli_search), kept out so that golden files do not churn with the project text.
        o.remove(u"shard"_s);
        for (auto it = o.begin(); it != o.end(); ++it)
            *it = withoutTimings(*it);
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        for (auto it = a.begin(); it != a.end(); ++it)
            *it = withoutTimings(*it);
        return a;
    }
    return value;
}

// The first place where two JSON values differ ("" when they are equal), for the message.
QString firstDifference(const QJsonValue &expected, const QJsonValue &actual, const QString &at)
{
    if (expected.type() != actual.type())
        return at + u": a different type"_s;
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (!a.contains(it.key()))
                return at + u"."_s + it.key() + u": missing"_s;
            const QString d = firstDifference(*it, a.value(it.key()), at + u"."_s + it.key());
            if (!d.isEmpty())
                return d;
        }
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!e.contains(it.key()))
                return at + u"."_s + it.key() + u": not in the golden file"_s;
        return {};
    }
    if (expected.isArray()) {
        const QJsonArray e = expected.toArray(), a = actual.toArray();
        if (e.size() != a.size())
            return at + u": %1 elements instead of %2"_s.arg(a.size()).arg(e.size());
        for (qsizetype i = 0; i < e.size(); ++i) {
            const QString d = firstDifference(e[i], a[i], at + u"[%1]"_s.arg(i));
            if (!d.isEmpty())
                return d;
        }
        return {};
    }
    if (expected != actual)
        return at + u": "_s +
               QString::fromUtf8(
                   QJsonDocument(QJsonArray{expected}).toJson(QJsonDocument::Compact)) +
               u" in the golden file, now "_s +
               QString::fromUtf8(QJsonDocument(QJsonArray{actual}).toJson(QJsonDocument::Compact));
    return {};
}

QJsonValue parsed(const QByteArray &text, const QString &what)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s: %s", qPrintable(what), qPrintable(error.errorString()));
    return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

void compareWithGolden(const QString &goldenPath, const QByteArray &output)
{
    const QJsonValue expected = withoutTimings(parsed(fileBytes(goldenPath), goldenPath));
    const QJsonValue actual = withoutTimings(parsed(output, u"the output"_s));
    const QString difference = firstDifference(expected, actual, QString());
    QVERIFY2(difference.isEmpty(),
             qPrintable(QFileInfo(goldenPath).fileName() + difference +
                        u" (scripts/make-golden.sh rewrites the files if the change is meant)"_s));
}

} // namespace

class TestGolden : public QObject
{
    Q_OBJECT

private slots:
    void search_data()
    {
        QTest::addColumn<QString>("example");
        const QStringList projects =
            QDir(kExamples).entryList({u"*.yaml"_s}, QDir::Files, QDir::Name);
        QVERIFY(projects.size() >= 10);
        for (const QString &file : projects) {
            const QString name = QFileInfo(file).completeBaseName();
            QVERIFY2(QFile::exists(kGolden + u"/search/"_s + name + u".json"_s),
                     qPrintable(u"no golden file for examples/"_s + file +
                                u": run scripts/make-golden.sh"_s));
            QTest::newRow(qPrintable(name)) << name;
        }
    }
    void search()
    {
        QFETCH(QString, example);
        const QString project = kExamples + u"/"_s + example + u".yaml"_s;
        const Run r =
            usesSystemProfile(example)
                ? phaze({u"evaluate"_s, project, u"--json"_s, u"-"_s})
                : phaze(QStringList{u"search"_s, project, u"--threads"_s, u"2"_s, u"--json"_s,
                                    u"-"_s} +
                        shardOf(example));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        compareWithGolden(kGolden + u"/search/"_s + example + u".json"_s, r.out.toUtf8());
    }

    void place_data()
    {
        QTest::addColumn<QString>("instance");
        QStringList inputs;
        for (const QString &f :
             QDir(QStringLiteral(PHAZE_TEST_DATA_DIR "/phaze-dp")).entryList({u"*.input.json"_s}))
            inputs << QStringLiteral(PHAZE_TEST_DATA_DIR "/phaze-dp/") + f;
        for (const QString &f :
             QDir(QStringLiteral(PHAZE_TEST_DATA_DIR "/placement")).entryList({u"*.json"_s}))
            inputs << QStringLiteral(PHAZE_TEST_DATA_DIR "/placement/") + f;
        QVERIFY(inputs.size() >= 7);
        for (const QString &path : inputs)
            QTest::newRow(qPrintable(QFileInfo(path).completeBaseName())) << path;
    }
    void place()
    {
        QFETCH(QString, instance);
        // Infeasible and refused instances write their status too: compared the same way.
        const Run r = phaze({u"place"_s, u"--phaze-json"_s, instance, u"--out"_s, u"-"_s});
        QVERIFY2(r.exitCode != kRunDidNotExit, qPrintable(r.err));
        compareWithGolden(kGolden + u"/place/"_s + QFileInfo(instance).fileName(), r.out.toUtf8());
    }
};

QTEST_GUILESS_MAIN(TestGolden)
#include "test_golden.moc"
