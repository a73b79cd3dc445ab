// The stdout rule of the `phaze` command line: every output that accepts "-" writes its document
// alone to stdout (the human summary goes to stderr), so a pipe into a parser works; two outputs
// asking for "-" in one run are refused. Each subcommand is run with each of its "-" outputs and
// stdout is read back with a real parser: QJsonDocument for JSON and Chrome traces, a CSV reader
// that checks every row against the documented header.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

const QString kQuick = QStringLiteral(PHAZE_SOURCE_DIR "/examples/quick-search.yaml");
const QString kDiamond = QStringLiteral(PHAZE_SOURCE_DIR "/examples/graphs/diamond.json");
const QString kInstance = QStringLiteral(PHAZE_TEST_DATA_DIR "/schedule/layer-102.json");
const QString kPlacement = QStringLiteral(PHAZE_TEST_DATA_DIR "/placement/diamond.json");

// The CSV header as docs/search.md ("Results") gives it: "with the header `a,b,...`", wrapped.
QStringList documentedCsvHeader()
{
    QFile f(QStringLiteral(PHAZE_SOURCE_DIR "/docs/search.md"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QRegularExpressionMatch m =
        QRegularExpression(u"with the header\\s+`([^`]+)`"_s).match(QString::fromUtf8(f.readAll()));
    return m.hasMatch() ? m.captured(1).remove(QRegularExpression(u"\\s+"_s)).split(u',')
                        : QStringList();
}

// RFC 4180 records: fields separated by commas, quoted fields may hold commas, doubled quotes
// and line breaks. Returns false on an unterminated quote or text after a closing quote.
bool parseCsv(const QString &text, QList<QStringList> &records)
{
    QStringList record;
    QString field;
    bool quoted = false, wasQuoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            if (!field.isEmpty() || wasQuoted)
                return false;
            quoted = wasQuoted = true;
        } else if (c == u',') {
            record << field;
            field.clear();
            wasQuoted = false;
        } else if (c == u'\n') {
            record << field;
            records << record;
            record.clear();
            field.clear();
            wasQuoted = false;
        } else if (wasQuoted) {
            return false;
        } else {
            field += c;
        }
    }
    if (quoted)
        return false;
    if (!field.isEmpty() || !record.isEmpty()) // a last line without a newline
        records << (record << field);
    return true;
}

// stdout as one JSON document: parsed without error, and not empty.
QJsonDocument parseJson(const Run &r)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("stdout is not JSON (%s at offset %d); it starts: %s",
                 qPrintable(error.errorString()), error.offset, qPrintable(r.out.left(300)));
    if (error.error != QJsonParseError::NoError || doc.isNull() ||
        (doc.isObject() && doc.object().isEmpty()) || (doc.isArray() && doc.array().isEmpty()))
        return {};
    return doc;
}

QString describe(const Run &r)
{
    return u"exit %1\nstdout: %2\nstderr: %3"_s.arg(r.exitCode)
        .arg(r.out.left(300), r.err.right(600));
}

} // namespace

class TestCliStdout : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_part; // a search result, the input of `phaze merge`
    QStringList m_csvHeader;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_csvHeader = documentedCsvHeader();
        QVERIFY(m_csvHeader.size() > 10);
        QCOMPARE(m_csvHeader.front(), u"candidate"_s);
        QCOMPARE(m_csvHeader.back(), u"message"_s);
        m_part = m_dir.filePath(u"part.json"_s);
        const Run r = phaze({u"search"_s, kQuick, u"--no-baselines"_s, u"--json"_s, m_part});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    }

    // Each JSON output given "-": the document parses, has the expected keys (of the object,
    // or of each element of an array) and the human text went to stderr.
    void jsonOnStdout_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QString>("summary"); // a line of the human text, now on stderr
        const QStringList search = {u"status"_s, u"best"_s, u"counts"_s, u"pareto"_s,
                                    u"evaluations"_s};
        QTest::newRow("model") << QStringList{u"model"_s, kDiamond, u"--json"_s, u"-"_s}
                               << QStringList{u"parameters"_s, u"layers"_s, u"edges"_s}
                               << u"parameters:"_s;
        QTest::newRow("model --project")
            << QStringList{u"model"_s, u"--project"_s, kQuick, u"--json"_s, u"-"_s}
            << QStringList{u"parameters"_s, u"layers"_s, u"edges"_s} << u"parameters:"_s;
        QTest::newRow("arch") << QStringList{u"arch"_s, u"tpuv4"_s, u"--json"_s, u"-"_s}
                              << QStringList{u"name"_s, u"area_mm2"_s, u"peak_flops"_s}
                              << u"area ("_s;
        QTest::newRow("space") << QStringList{u"space"_s, kQuick, u"--json"_s, u"-"_s,
                                              u"--candidates"_s}
                               << QStringList{u"count"_s, u"candidates"_s, u"budget_mm2"_s}
                               << "candidates: ";
        QTest::newRow("estimate") << QStringList{u"estimate"_s, u"--model"_s, kDiamond, u"--arch"_s,
                                                 u"tpuv4"_s,    u"--json"_s,  u"-"_s}
                                  << QStringList{u"model"_s, u"arch"_s, u"ops"_s}
                                  << u"(single-core sum)"_s;
        QTest::newRow("schedule instance")
            << QStringList{u"schedule"_s, kInstance, u"--json"_s, u"-"_s}
            << QStringList{u"status"_s, u"makespan"_s, u"lower_bound"_s, u"ops"_s}
            << u"makespan 42.585"_s;
        QTest::newRow("schedule model")
            << QStringList{u"schedule"_s, u"--model"_s, kDiamond, u"--arch"_s,
                           u"tpuv4"_s,    u"--json"_s,  u"-"_s}
            << QStringList{u"model"_s, u"arch"_s, u"num_tc"_s, u"num_vc"_s, u"layers"_s}
            << u"distinct passes"_s;
        QTest::newRow("place") << QStringList{u"place"_s, u"--phaze-json"_s, kPlacement, u"--out"_s,
                                              u"-"_s}
                               << QStringList{u"status"_s, u"finalTimePerBatch"_s, u"stages"_s}
                               << "placement: ";
        QTest::newRow("place --out=-")
            << QStringList{u"place"_s, u"--phaze-json"_s, kPlacement, u"--out=-"_s}
            << QStringList{u"finalTimePerBatch"_s, u"stages"_s} << u"time per batch: "_s;
        QTest::newRow("evaluate")
            << QStringList{u"evaluate"_s,       kQuick,      u"--arch"_s, u"tpuv4"_s,
                           u"--no-baselines"_s, u"--json"_s, u"-"_s}
            << search << "best: ";
        QTest::newRow("search") << QStringList{u"search"_s, kQuick, u"--no-baselines"_s,
                                               u"--json"_s, u"-"_s}
                                << search << "best: ";
        QTest::newRow("merge") << QStringList{u"merge"_s, m_part, u"--json"_s, u"-"_s} << search
                               << u"best: "_s;
    }

    void jsonOnStdout()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, keys);
        QFETCH(QString, summary);
        const Run r = phaze(args);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonDocument doc = parseJson(r);
        QVERIFY2(!doc.isNull(), qPrintable(describe(r)));
        QList<QJsonObject> objects;
        if (doc.isArray())
            for (const QJsonValue &v : doc.array())
                objects << v.toObject();
        else
            objects << doc.object();
        for (const QJsonObject &o : objects)
            for (const QString &key : keys)
                QVERIFY2(o.contains(key), qPrintable(key + u" missing from "_s + r.out.left(300)));
        QVERIFY2(r.err.contains(summary), qPrintable(describe(r)));
    }

    void jsonContent()
    {
        const Run search = phaze({u"search"_s, kQuick, u"--no-baselines"_s, u"--json"_s, u"-"_s});
        const QJsonObject o = parseJson(search).object();
        QCOMPARE(o.value(u"status"_s).toString(), u"optimal"_s);
        QCOMPARE(o.value(u"counts"_s).toObject().value(u"total"_s).toInt(), 80);
        QVERIFY(o.value(u"best"_s).toObject().value(u"throughput"_s).toDouble() > 2100.0);

        const Run evaluate = phaze({u"evaluate"_s, kQuick, u"--arch"_s, u"tpuv4"_s,
                                    u"--no-baselines"_s, u"--json"_s, u"-"_s});
        // tpuv4 x 2 HBM sizes.
        QCOMPARE(
            parseJson(evaluate).object().value(u"counts"_s).toObject().value(u"total"_s).toInt(),
            2);

        const Run project = phaze({u"model"_s, u"--project"_s, kQuick, u"--json"_s, u"-"_s});
        QCOMPARE(parseJson(project).array().size(), 1); // models: [bert-large]

        const Run instance = phaze({u"schedule"_s, kInstance, u"--json"_s, u"-"_s});
        const QJsonObject s = parseJson(instance).object();
        QVERIFY(std::abs(s.value(u"makespan"_s).toDouble() - 42.585) <= 1e-6);
        QCOMPARE(s.value(u"ops"_s).toArray().size(), 6);
    }

    // Each CSV output given "-": every record has the documented header's field count.
    void csvOnStdout_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("rows"); // data rows expected, -1: at least one
        QTest::newRow("evaluate")
            << QStringList{u"evaluate"_s,       kQuick,     u"--arch"_s, u"tpuv4"_s,
                           u"--no-baselines"_s, u"--csv"_s, u"-"_s}
            << 2;
        QTest::newRow("search") << QStringList{u"search"_s, kQuick, u"--no-baselines"_s, u"--csv"_s,
                                               u"-"_s}
                                << -1;
        QTest::newRow("search --json FILE --csv -") << QStringList{u"search"_s,
                                                                   kQuick,
                                                                   u"--no-baselines"_s,
                                                                   u"--json"_s,
                                                                   m_dir.filePath(u"search.json"_s),
                                                                   u"--csv"_s,
                                                                   u"-"_s}
                                                    << -1;
        QTest::newRow("merge") << QStringList{u"merge"_s,  m_part,
                                              u"--json"_s, m_dir.filePath(u"merged.json"_s),
                                              u"--csv"_s,  u"-"_s}
                               << -1;
    }

    void csvOnStdout()
    {
        QFETCH(QStringList, args);
        QFETCH(int, rows);
        const Run r = phaze(args);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.endsWith(u'\n'), qPrintable(describe(r)));
        QList<QStringList> records;
        QVERIFY2(parseCsv(r.out, records), qPrintable(describe(r)));
        QVERIFY2(records.size() >= 2, qPrintable(describe(r)));
        QCOMPARE(records.front(), m_csvHeader);
        for (int i = 1; i < records.size(); ++i) {
            const QStringList &row = records[i];
            QVERIFY2(
                row.size() == m_csvHeader.size(),
                qPrintable(
                    u"record %1 has %2 fields: %3"_s.arg(i).arg(row.size()).arg(row.join(u','))));
            bool number = false;
            row[0].toInt(&number);
            QVERIFY2(number, qPrintable(row.join(u',')));
            QVERIFY2(row[1] == u"optimal"_s || row[1] == u"feasible"_s ||
                         row[1] == u"infeasible"_s || row[1] == u"pruned"_s,
                     qPrintable(row.join(u',')));
            QCOMPARE(row[m_csvHeader.indexOf(u"model"_s)], u"bert-large"_s);
        }
        if (rows >= 0)
            QCOMPARE(records.size() - 1, rows);
        QVERIFY2(r.err.contains(u"best: "_s), qPrintable(describe(r)));
        // Where the JSON went to a file, its evaluation count matches the CSV's rows.
        const int json = args.indexOf(u"--json"_s);
        if (json >= 0 && args[json + 1] != u"-"_s) {
            const QJsonObject o = readJson(args[json + 1]);
            QCOMPARE(o.value(u"evaluations"_s).toArray().size(), records.size() - 1);
        }
    }

    // Each Chrome trace given "-": a JSON object whose traceEvents hold complete ("X") events
    // with a start and a duration.
    void traceOnStdout_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("summary");
        QTest::newRow("schedule instance")
            << QStringList{u"schedule"_s, kInstance, u"--trace"_s, u"-"_s} << u"makespan 42.585"_s;
        QTest::newRow("schedule instance --json FILE")
            << QStringList{u"schedule"_s, kInstance, u"--json"_s, m_dir.filePath(u"s.json"_s),
                           u"--trace"_s,  u"-"_s}
            << "(matches)";
        QTest::newRow("schedule model")
            << QStringList{u"schedule"_s, u"--model"_s, kDiamond, u"--arch"_s,
                           u"tpuv4"_s,    u"--trace"_s, u"-"_s}
            << "distinct passes";
        QTest::newRow("place --timeline")
            << QStringList{u"place"_s, u"--phaze-json"_s, kPlacement, u"--timeline"_s, u"-"_s}
            << "timeline (1f1b)";
        QTest::newRow("place --out FILE --timeline -")
            << QStringList{u"place"_s, u"--phaze-json"_s,           kPlacement,
                           u"--out"_s, m_dir.filePath(u"p.json"_s), u"--timeline"_s,
                           u"-"_s}
            << "placement: ";
    }

    void traceOnStdout()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, summary);
        const Run r = phaze(args);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonDocument doc = parseJson(r);
        QVERIFY2(doc.isObject(), qPrintable(describe(r)));
        const QJsonArray events = doc.object().value(u"traceEvents"_s).toArray();
        int complete = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (e.value(u"ph"_s).toString() != u"X"_s)
                continue;
            ++complete;
            QVERIFY(e.value(u"ts"_s).isDouble());
            QVERIFY(e.value(u"dur"_s).toDouble() >= 0.0);
        }
        QVERIFY2(complete > 0, qPrintable(r.out.left(300)));
        QVERIFY2(r.err.contains(summary), qPrintable(describe(r)));
    }

    // Without "-" the summary stays on stdout, as before.
    void fileOutputsKeepTheSummaryOnStdout()
    {
        const Run r = phaze({u"arch"_s, u"tpuv4"_s, u"--json"_s, m_dir.filePath(u"arch.json"_s)});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"area ("_s), qPrintable(describe(r)));
        QVERIFY(r.err.isEmpty());
        QVERIFY(!readJson(m_dir.filePath(u"arch.json"_s)).isEmpty());
    }

    // Two documents on one stdout cannot be parsed: a usage error before any work, stdout
    // empty, and the error names both options.
    void twoOutputsOnStdoutAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("schedule instance")
            << QStringList{u"schedule"_s, kInstance, u"--json"_s, u"-"_s, u"--trace"_s, u"-"_s}
            << QStringList{u"--json"_s, u"--trace"_s};
        QTest::newRow("schedule model")
            << QStringList{u"schedule"_s, u"--model"_s, kDiamond,    u"--arch"_s, u"tpuv4"_s,
                           u"--trace"_s,  u"-"_s,       u"--json"_s, u"-"_s}
            << QStringList{u"--json"_s, u"--trace"_s};
        QTest::newRow("place") << QStringList{u"place"_s, u"--phaze-json"_s, kPlacement, u"--out"_s,
                                              u"-"_s,     u"--timeline"_s,   u"-"_s}
                               << QStringList{u"--out"_s, u"--timeline"_s};
        QTest::newRow("evaluate") << QStringList{u"evaluate"_s, kQuick, u"--arch"_s, u"tpuv4"_s,
                                                 u"--json"_s,   u"-"_s, u"--csv"_s,  u"-"_s}
                                  << QStringList{u"--json"_s, u"--csv"_s};
        QTest::newRow("search") << QStringList{u"search"_s, kQuick, u"--json=-"_s, u"--csv"_s,
                                               u"-"_s}
                                << QStringList{u"--json"_s, u"--csv"_s};
        QTest::newRow("merge") << QStringList{u"merge"_s, m_part, u"--json"_s, u"-"_s, u"--csv=-"_s}
                               << QStringList{u"--json"_s, u"--csv"_s};
    }

    void twoOutputsOnStdoutAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, options);
        const Run r = phaze(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
        QVERIFY2(r.err.contains(u"standard output"_s), qPrintable(describe(r)));
        for (const QString &option : options)
            QVERIFY2(r.err.contains(option), qPrintable(describe(r)));
    }

    // --resume reads the journal back, so it cannot be stdout.
    void journalIsNeverStdout()
    {
        const Run r = phaze({u"search"_s, kQuick, u"--journal"_s, u"-"_s});
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(u"--journal needs a file"_s), qPrintable(describe(r)));
        QVERIFY(!QFile::exists(u"-"_s));
    }

    // Every output that accepts "-" says so in `phaze SUBCOMMAND --help`.
    void helpShowsWhichOutputsTakeStdout_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("model") << u"model"_s << QStringList{u"--json"_s};
        QTest::newRow("arch") << u"arch"_s << QStringList{u"--json"_s};
        QTest::newRow("space") << u"space"_s << QStringList{u"--json"_s};
        QTest::newRow("estimate") << u"estimate"_s << QStringList{u"--json"_s};
        QTest::newRow("schedule") << u"schedule"_s << QStringList{u"--json"_s, u"--trace"_s};
        QTest::newRow("place") << u"place"_s << QStringList{u"--out"_s, u"--timeline"_s};
        QTest::newRow("evaluate") << u"evaluate"_s << QStringList{u"--json"_s, u"--csv"_s};
        QTest::newRow("search") << u"search"_s << QStringList{u"--json"_s, u"--csv"_s};
        QTest::newRow("merge") << u"merge"_s << QStringList{u"--json"_s, u"--csv"_s};
    }

    void helpShowsWhichOutputsTakeStdout()
    {
        QFETCH(QString, command);
        QFETCH(QStringList, options);
        const Run r = phaze({command, u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        for (const QString &option : options)
            QVERIFY2(r.out.contains(QRegularExpression(QRegularExpression::escape(option) +
                                                       u" [A-Z.a-z]+\\|-"_s)),
                     qPrintable(option + u" in: "_s + r.out));
    }
};

QTEST_GUILESS_MAIN(TestCliStdout)
#include "test_cli_stdout.moc"
