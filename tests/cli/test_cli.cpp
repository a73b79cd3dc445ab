// The `phaze` command line: subcommands, outputs and exit codes, run as a user would.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace {

QString writeTemp(QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    QFile f(dir.filePath(name));
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return f.fileName();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void helpAndVersion()
    {
        const Run help = phaze({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        for (const char *sub : {"check", "model", "params"})
            QVERIFY2(help.out.contains(u"  "_s + QString::fromUtf8(sub)), qPrintable(help.out));
        const Run version = phaze({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(u"phaze "_s));
        QCOMPARE(phaze({u"frobnicate"_s}).exitCode, 2);
        QCOMPARE(phaze({u"model"_s, u"gpt2-xl"_s, u"--bogus"_s}).exitCode, 2);
    }

    void validatePredictsPublishedRuns()
    {
        const QString file =
            QStringLiteral(PHAZE_SOURCE_DIR "/tests/data/validation/korthikanti2022-selene.yaml");
        const Run r = phaze({u"validate"_s, file, u"--json"_s, u"-"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j[u"entries"_s].toArray().size(), 24);
        QVERIFY2(r.err.contains(u"iteration_time: 8 runs, mean |error|"_s), qPrintable(r.err));
        QTemporaryDir dir;
        const QString bad = writeTemp(dir, u"bad.yaml"_s, "format: phaze-validation/1\nbogus: 1\n");
        const Run b = phaze({u"validate"_s, bad});
        QCOMPARE(b.exitCode, 2);
        QVERIFY2(b.err.contains(u"bad.yaml:2:1"_s), qPrintable(b.err));
    }

    void evaluateUnderTheSystemProfile()
    {
        const QString project = QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt3-175b-selene.yaml");
        const Run r = phaze({u"evaluate"_s, project, u"--json"_s, u"-"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j[u"format"_s].toString(), u"phaze-system-evaluation/1"_s);
        const QJsonObject m = j[u"models"_s].toArray().first().toObject();
        QCOMPARE(m[u"layout"_s].toObject()[u"tp"_s].toInt(), 8);
        QVERIFY2(r.err.contains(u"time (stage"_s) && r.err.contains(u"memory (stage 1)"_s),
                 qPrintable(r.err));
        const Run check = phaze({u"check"_s, project});
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(check.out.contains(u"cluster: dgx-a100, 8 devices per node"_s) &&
                     check.out.contains(u"strategy: tp [8], pp [8], dp rest"_s),
                 qPrintable(check.out));
        // The search ranks by the same number: its best on this chip is evaluate's layout.
        const Run s = phaze({u"search"_s, project, u"--no-baselines"_s, u"--json"_s, u"-"_s});
        QCOMPARE(s.exitCode, 0);
        QVERIFY2(s.err.contains(u"d=1 p=8 t=8, microbatch 1"_s), qPrintable(s.err));
        QVERIFY2(s.err.contains(QString::number(m[u"samples_per_s"_s].toDouble(), 'g', 6)),
                 qPrintable(s.err));
        // --arch replaces the chip: on H100 the same layout is faster.
        const Run h = phaze({u"evaluate"_s, project, u"--arch"_s, u"h100-sxm5-80gb"_s,
                             u"--json"_s, u"-"_s});
        QCOMPARE(h.exitCode, 0);
        const double a100 = m[u"iteration_time_s"_s].toDouble();
        const double h100 = QJsonDocument::fromJson(h.out.toUtf8())
                                .object()[u"models"_s].toArray().first().toObject()
                                       [u"iteration_time_s"_s].toDouble();
        QVERIFY2(h100 < 0.6 * a100, qPrintable(QString::number(h100 / a100)));

        // The trace holds the schedule of the same layout: its last event ends at the
        // iteration time the JSON gives (microseconds in the trace).
        const Run t = phaze({u"evaluate"_s, project, u"--trace"_s, u"-"_s});
        QCOMPARE(t.exitCode, 0);
        double traceEnd = 0.0;
        int forwards = 0;
        for (const QJsonValue &v : QJsonDocument::fromJson(t.out.toUtf8())
                                       .object()[u"traceEvents"_s].toArray()) {
            const QJsonObject e = v.toObject();
            if (e[u"ph"_s].toString() != u"X"_s)
                continue;
            traceEnd = std::max(traceEnd, e[u"ts"_s].toDouble() + e[u"dur"_s].toDouble());
            forwards += e[u"cat"_s].toString() == u"forward"_s;
        }
        QVERIFY2(std::fabs(traceEnd * 1e-6 - a100) < 1e-6 * a100,
                 qPrintable(QString::number(traceEnd * 1e-6) + u" vs "_s + QString::number(a100)));
        // Every microbatch through every chunk of every stage: 8 stages x 3 chunks x m.
        QCOMPARE(forwards, 8 * 3 * m[u"microbatches"_s].toInt());
        // Under PHAZE's profile --trace is refused with the command that has one.
        const Run p = phaze({u"evaluate"_s, QStringLiteral(PHAZE_SOURCE_DIR "/examples/bert-large.yaml"),
                             u"--trace"_s, u"-"_s});
        QCOMPARE(p.exitCode, 2);
        QVERIFY2(p.err.contains(u"phaze place --timeline"_s), qPrintable(p.err));
    }

    void checkDescribesAProject()
    {
        const Run r =
            phaze({u"check"_s, QStringLiteral(PHAZE_SOURCE_DIR "/resources/default-project.yaml")});
        QCOMPARE(r.exitCode, 0);
        // The bundled project: Llama 2 7B on a DGX A100 cluster under the system profile.
        QVERIFY2(r.out.contains(u"llama2-7b (Llama 2): 34 layers (32 transformer blocks)"_s),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(u"256 accelerators, global batch 1024"_s));
        QVERIFY(r.out.contains(u"a100-sxm4-80gb: 432 TCs of 16x16"_s));
        QVERIFY(r.out.contains(u"peak 312 TFLOP/s"_s));
        QVERIFY(r.out.contains(u"profile: system"_s));
        QVERIFY(r.out.contains(u"cluster: dgx-a100, 8 devices per node"_s));
    }

    void checkListsEveryError()
    {
        QTemporaryDir dir;
        const QString path = writeTemp(dir, u"gpt3.yaml"_s,
                                       "models: [gpt3-175b, gtp2-xl]\n"
                                       "training:\n"
                                       "  accelerators: 0\n"
                                       "  hbm_sizes: [32 GiB, 64 GB/s]\n");
        const Run r = phaze({u"check"_s, path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"gpt3.yaml:1:21: models[1]: unknown model \"gtp2-xl\""_s),
                 qPrintable(r.err));
        QVERIFY(
            r.err.contains(u"gpt3.yaml:3:17: training.accelerators: \"0\" must be at least 1"_s));
        QVERIFY(
            r.err.contains(u"gpt3.yaml:4:23: training.hbm_sizes[1]: \"64 GB/s\" is a bandwidth, "
                           u"expected a size"_s));
        QVERIFY(r.err.contains(u"3 errors"_s));
    }

    void checkFindsModelProblems()
    {
        QTemporaryDir dir;
        const QString path = writeTemp(
            dir, u"tp.yaml"_s, "models: [gpt2-xl]\ntraining:\n  profile: phaze\n  tensor_parallel_widths: [1, 7]\n");
        const Run r = phaze({u"check"_s, path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"models[0]"_s) && r.err.contains(u"width 7"_s), qPrintable(r.err));
    }

    void params()
    {
        const Run text = phaze({u"params"_s});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(u"hbm_sizes"_s));
        const Run md = phaze({u"params"_s, u"--markdown"_s});
        QCOMPARE(md.exitCode, 0);
        QVERIFY(md.out.contains(u"| `hbm_size` | `32 GiB` |"_s));
    }

    void modelJson()
    {
        const Run r = phaze({u"model"_s, u"gpt2-xl"_s, u"--json"_s, u"-"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY2(!o.isEmpty(), qPrintable(r.out.left(400)));
        QVERIFY(o.value(u"parameters"_s).isDouble());
        QCOMPARE(qint64(o.value(u"parameters"_s).toDouble()), qint64(1557611200));
        const QJsonArray layers = o.value(u"layers"_s).toArray();
        QCOMPARE(layers.size(), 50);
        for (const char *key :
             {"id", "kind", "parameters", "activation_bytes", "operators", "flops_forward"})
            QVERIFY2(layers.at(1).toObject().contains(QString::fromUtf8(key)), key);
        const QJsonArray edges = o.value(u"edges"_s).toArray();
        QCOMPARE(edges.size(), 49);
        // b x s x h x 2 bytes between blocks.
        QCOMPARE(edges.at(3).toObject().value(u"bytes"_s).toDouble(), 1.0 * 1024 * 1600 * 2);
        QVERIFY(r.err.contains(u"block.0 .. block.47"_s));
    }

    void modelOptionsAndErrors()
    {
        const Run t8 = phaze({u"model"_s, u"gpt3-175b"_s, u"--tp"_s, u"8"_s, u"--mbs"_s, u"2"_s,
                              u"--seq"_s, u"1024"_s});
        QCOMPARE(t8.exitCode, 0);
        QVERIFY2(t8.out.contains(u"microbatch 2, sequence 1024, tensor-parallel width 8"_s),
                 qPrintable(t8.out));
        const Run bad = phaze({u"model"_s, u"gpt2-xl"_s, u"--tp"_s, u"7"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(!bad.err.isEmpty());
        QCOMPARE(phaze({u"model"_s, u"no-such-model"_s}).exitCode, 2);
        QCOMPARE(phaze({u"model"_s, u"gpt2-xl"_s, u"--tp"_s, u"zero"_s}).exitCode, 2);
    }

    void importedGraph()
    {
        const Run r =
            phaze({u"model"_s, QStringLiteral(PHAZE_SOURCE_DIR "/examples/graphs/diamond.json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"branching"_s), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
