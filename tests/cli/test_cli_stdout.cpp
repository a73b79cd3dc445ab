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

namespace {

const QString kQuick = PHAZE_SOURCE_DIR "/examples/quick-search.yaml";
const QString kDiamond = PHAZE_SOURCE_DIR "/examples/graphs/diamond.json";
const QString kInstance = PHAZE_TEST_DATA_DIR "/schedule/layer-102.json";
const QString kPlacement = PHAZE_TEST_DATA_DIR "/placement/diamond.json";

// The CSV header as docs/search.md ("Results") gives it: "with the header `a,b,...`", wrapped.
QStringList documentedCsvHeader()
{
    QFile f(PHAZE_SOURCE_DIR "/docs/search.md");
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QRegularExpressionMatch m =
        QRegularExpression("with the header\\s+`([^`]+)`").match(QString::fromUtf8(f.readAll()));
    return m.hasMatch() ? m.captured(1).remove(QRegularExpression("\\s+")).split(',')
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
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            if (!field.isEmpty() || wasQuoted)
                return false;
            quoted = wasQuoted = true;
        } else if (c == ',') {
            record << field;
            field.clear();
            wasQuoted = false;
        } else if (c == '\n') {
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
    return QString("exit %1\nstdout: %2\nstderr: %3")
        .arg(r.exitCode)
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
        QCOMPARE(m_csvHeader.front(), QString("candidate"));
        QCOMPARE(m_csvHeader.back(), QString("message"));
        m_part = m_dir.filePath("part.json");
        const Run r = phaze({"search", kQuick, "--no-baselines", "--json", m_part});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    }

    // Each JSON output given "-": the document parses, has the expected keys (of the object,
    // or of each element of an array) and the human text went to stderr.
    void jsonOnStdout_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QString>("summary"); // a line of the human text, now on stderr
        const QStringList search = {"status", "best", "counts", "pareto", "evaluations"};
        QTest::newRow("model") << QStringList{"model", kDiamond, "--json", "-"}
                               << QStringList{"parameters", "layers", "edges"} << "parameters:";
        QTest::newRow("model --project")
            << QStringList{"model", "--project", kQuick, "--json", "-"}
            << QStringList{"parameters", "layers", "edges"} << "parameters:";
        QTest::newRow("arch") << QStringList{"arch", "tpuv4", "--json", "-"}
                              << QStringList{"name", "area_mm2", "peak_flops"} << "area (";
        QTest::newRow("space") << QStringList{"space", kQuick, "--json", "-", "--candidates"}
                               << QStringList{"count", "candidates", "budget_mm2"}
                               << "candidates: ";
        QTest::newRow("estimate") << QStringList{"estimate", "--model", kDiamond, "--arch",
                                                 "tpuv4",    "--json",  "-"}
                                  << QStringList{"model", "arch", "ops"} << "(single-core sum)";
        QTest::newRow("schedule instance")
            << QStringList{"schedule", kInstance, "--json", "-"}
            << QStringList{"status", "makespan", "lower_bound", "ops"} << "makespan 42.585";
        QTest::newRow("schedule model")
            << QStringList{"schedule", "--model", kDiamond, "--arch", "tpuv4", "--json", "-"}
            << QStringList{"model", "arch", "num_tc", "num_vc", "layers"} << "distinct passes";
        QTest::newRow("place") << QStringList{"place", "--phaze-json", kPlacement, "--out", "-"}
                               << QStringList{"status", "finalTimePerBatch", "stages"}
                               << "placement: ";
        QTest::newRow("place --out=-")
            << QStringList{"place", "--phaze-json", kPlacement, "--out=-"}
            << QStringList{"finalTimePerBatch", "stages"} << "time per batch: ";
        QTest::newRow("evaluate") << QStringList{"evaluate",       kQuick,   "--arch", "tpuv4",
                                                 "--no-baselines", "--json", "-"}
                                  << search << "best: ";
        QTest::newRow("search") << QStringList{"search", kQuick, "--no-baselines", "--json", "-"}
                                << search << "best: ";
        QTest::newRow("merge") << QStringList{"merge", m_part, "--json", "-"} << search << "best: ";
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
                QVERIFY2(o.contains(key), qPrintable(key + " missing from " + r.out.left(300)));
        QVERIFY2(r.err.contains(summary), qPrintable(describe(r)));
    }

    void jsonContent()
    {
        const Run search = phaze({"search", kQuick, "--no-baselines", "--json", "-"});
        const QJsonObject o = parseJson(search).object();
        QCOMPARE(o.value("status").toString(), QString("optimal"));
        QCOMPARE(o.value("counts").toObject().value("total").toInt(), 80);
        QVERIFY(o.value("best").toObject().value("throughput").toDouble() > 2100.0);

        const Run evaluate =
            phaze({"evaluate", kQuick, "--arch", "tpuv4", "--no-baselines", "--json", "-"});
        // tpuv4 x 2 HBM sizes.
        QCOMPARE(parseJson(evaluate).object().value("counts").toObject().value("total").toInt(), 2);

        const Run project = phaze({"model", "--project", kQuick, "--json", "-"});
        QCOMPARE(parseJson(project).array().size(), 1); // models: [bert-large]

        const Run instance = phaze({"schedule", kInstance, "--json", "-"});
        const QJsonObject s = parseJson(instance).object();
        QVERIFY(std::abs(s.value("makespan").toDouble() - 42.585) <= 1e-6);
        QCOMPARE(s.value("ops").toArray().size(), 6);
    }

    // Each CSV output given "-": every record has the documented header's field count.
    void csvOnStdout_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("rows"); // data rows expected, -1: at least one
        QTest::newRow("evaluate") << QStringList{"evaluate",       kQuick,  "--arch", "tpuv4",
                                                 "--no-baselines", "--csv", "-"}
                                  << 2;
        QTest::newRow("search") << QStringList{"search", kQuick, "--no-baselines", "--csv", "-"}
                                << -1;
        QTest::newRow("search --json FILE --csv -") << QStringList{"search",
                                                                   kQuick,
                                                                   "--no-baselines",
                                                                   "--json",
                                                                   m_dir.filePath("search.json"),
                                                                   "--csv",
                                                                   "-"}
                                                    << -1;
        QTest::newRow("merge") << QStringList{"merge",  m_part,
                                              "--json", m_dir.filePath("merged.json"),
                                              "--csv",  "-"}
                               << -1;
    }

    void csvOnStdout()
    {
        QFETCH(QStringList, args);
        QFETCH(int, rows);
        const Run r = phaze(args);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.endsWith('\n'), qPrintable(describe(r)));
        QList<QStringList> records;
        QVERIFY2(parseCsv(r.out, records), qPrintable(describe(r)));
        QVERIFY2(records.size() >= 2, qPrintable(describe(r)));
        QCOMPARE(records.front(), m_csvHeader);
        for (int i = 1; i < records.size(); ++i) {
            const QStringList &row = records[i];
            QVERIFY2(row.size() == m_csvHeader.size(),
                     qPrintable(QString("record %1 has %2 fields: %3")
                                    .arg(i)
                                    .arg(row.size())
                                    .arg(row.join(','))));
            bool number = false;
            row[0].toInt(&number);
            QVERIFY2(number, qPrintable(row.join(',')));
            QVERIFY2(row[1] == "optimal" || row[1] == "feasible" || row[1] == "infeasible" ||
                         row[1] == "pruned",
                     qPrintable(row.join(',')));
            QCOMPARE(row[m_csvHeader.indexOf("model")], QString("bert-large"));
        }
        if (rows >= 0)
            QCOMPARE(records.size() - 1, rows);
        QVERIFY2(r.err.contains("best: "), qPrintable(describe(r)));
        // Where the JSON went to a file, its evaluation count matches the CSV's rows.
        const int json = args.indexOf("--json");
        if (json >= 0 && args[json + 1] != "-") {
            const QJsonObject o = readJson(args[json + 1]);
            QCOMPARE(o.value("evaluations").toArray().size(), records.size() - 1);
        }
    }

    // Each Chrome trace given "-": a JSON object whose traceEvents hold complete ("X") events
    // with a start and a duration.
    void traceOnStdout_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("summary");
        QTest::newRow("schedule instance")
            << QStringList{"schedule", kInstance, "--trace", "-"} << "makespan 42.585";
        QTest::newRow("schedule instance --json FILE")
            << QStringList{"schedule", kInstance, "--json", m_dir.filePath("s.json"),
                           "--trace",  "-"}
            << "(matches)";
        QTest::newRow("schedule model")
            << QStringList{"schedule", "--model", kDiamond, "--arch", "tpuv4", "--trace", "-"}
            << "distinct passes";
        QTest::newRow("place --timeline")
            << QStringList{"place", "--phaze-json", kPlacement, "--timeline", "-"}
            << "timeline (1f1b)";
        QTest::newRow("place --out FILE --timeline -")
            << QStringList{"place", "--phaze-json",           kPlacement,
                           "--out", m_dir.filePath("p.json"), "--timeline",
                           "-"}
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
        const QJsonArray events = doc.object().value("traceEvents").toArray();
        int complete = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (e.value("ph").toString() != "X")
                continue;
            ++complete;
            QVERIFY(e.value("ts").isDouble());
            QVERIFY(e.value("dur").toDouble() >= 0.0);
        }
        QVERIFY2(complete > 0, qPrintable(r.out.left(300)));
        QVERIFY2(r.err.contains(summary), qPrintable(describe(r)));
    }

    // Without "-" the summary stays on stdout, as before.
    void fileOutputsKeepTheSummaryOnStdout()
    {
        const Run r = phaze({"arch", "tpuv4", "--json", m_dir.filePath("arch.json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("area ("), qPrintable(describe(r)));
        QVERIFY(r.err.isEmpty());
        QVERIFY(!readJson(m_dir.filePath("arch.json")).isEmpty());
    }

    // Two documents on one stdout cannot be parsed: a usage error before any work, stdout
    // empty, and the error names both options.
    void twoOutputsOnStdoutAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("schedule instance")
            << QStringList{"schedule", kInstance, "--json", "-", "--trace", "-"}
            << QStringList{"--json", "--trace"};
        QTest::newRow("schedule model")
            << QStringList{"schedule", "--model", kDiamond, "--arch", "tpuv4",
                           "--trace",  "-",       "--json", "-"}
            << QStringList{"--json", "--trace"};
        QTest::newRow("place") << QStringList{"place", "--phaze-json", kPlacement, "--out",
                                              "-",     "--timeline",   "-"}
                               << QStringList{"--out", "--timeline"};
        QTest::newRow("evaluate") << QStringList{"evaluate", kQuick, "--arch", "tpuv4",
                                                 "--json",   "-",    "--csv",  "-"}
                                  << QStringList{"--json", "--csv"};
        QTest::newRow("search") << QStringList{"search", kQuick, "--json=-", "--csv", "-"}
                                << QStringList{"--json", "--csv"};
        QTest::newRow("merge") << QStringList{"merge", m_part, "--json", "-", "--csv=-"}
                               << QStringList{"--json", "--csv"};
    }

    void twoOutputsOnStdoutAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, options);
        const Run r = phaze(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
        QVERIFY2(r.err.contains("standard output"), qPrintable(describe(r)));
        for (const QString &option : options)
            QVERIFY2(r.err.contains(option), qPrintable(describe(r)));
    }

    // --resume reads the journal back, so it cannot be stdout.
    void journalIsNeverStdout()
    {
        const Run r = phaze({"search", kQuick, "--journal", "-"});
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("--journal needs a file"), qPrintable(describe(r)));
        QVERIFY(!QFile::exists("-"));
    }

    // Every output that accepts "-" says so in `phaze SUBCOMMAND --help`.
    void helpShowsWhichOutputsTakeStdout_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("model") << "model" << QStringList{"--json"};
        QTest::newRow("arch") << "arch" << QStringList{"--json"};
        QTest::newRow("space") << "space" << QStringList{"--json"};
        QTest::newRow("estimate") << "estimate" << QStringList{"--json"};
        QTest::newRow("schedule") << "schedule" << QStringList{"--json", "--trace"};
        QTest::newRow("place") << "place" << QStringList{"--out", "--timeline"};
        QTest::newRow("evaluate") << "evaluate" << QStringList{"--json", "--csv"};
        QTest::newRow("search") << "search" << QStringList{"--json", "--csv"};
        QTest::newRow("merge") << "merge" << QStringList{"--json", "--csv"};
    }

    void helpShowsWhichOutputsTakeStdout()
    {
        QFETCH(QString, command);
        QFETCH(QStringList, options);
        const Run r = phaze({command, "--help"});
        QCOMPARE(r.exitCode, 0);
        for (const QString &option : options)
            QVERIFY2(r.out.contains(QRegularExpression(QRegularExpression::escape(option) +
                                                       " [A-Z.a-z]+\\|-")),
                     qPrintable(option + " in: " + r.out));
    }
};

QTEST_GUILESS_MAIN(TestCliStdout)
#include "test_cli_stdout.moc"
