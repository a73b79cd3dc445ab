// The `phaze` command line: subcommands, outputs and exit codes, run as a user would.

#include <QtTest>

#include "tests/cli/clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

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
        const Run help = phaze({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char *sub : {"check", "model", "params"})
            QVERIFY2(help.out.contains(QString("  ") + sub), qPrintable(help.out));
        const Run version = phaze({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("phaze "));
        QCOMPARE(phaze({"frobnicate"}).exitCode, 2);
        QCOMPARE(phaze({"model", "gpt2-xl", "--bogus"}).exitCode, 2);
    }

    void checkDescribesAProject()
    {
        const Run r = phaze({"check", PHAZE_SOURCE_DIR "/resources/default-project.yaml"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("gpt2-xl (GPT-2): 50 layers (48 transformer blocks)"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("1024 accelerators, global batch 4096"));
        QVERIFY(r.out.contains("tpuv4: 8 TCs of 128x128"));
        QVERIFY(r.out.contains("peak 275 TFLOP/s"));
    }

    void checkListsEveryError()
    {
        QTemporaryDir dir;
        const QString path = writeTemp(dir, "gpt3.yaml",
                                       "models: [gpt3-175b, gtp2-xl]\n"
                                       "training:\n"
                                       "  accelerators: 0\n"
                                       "  hbm_sizes: [32 GiB, 64 GB/s]\n");
        const Run r = phaze({"check", path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("gpt3.yaml:1:21: models[1]: unknown model \"gtp2-xl\""),
                 qPrintable(r.err));
        QVERIFY(r.err.contains("gpt3.yaml:3:17: training.accelerators: \"0\" must be at least 1"));
        QVERIFY(r.err.contains("gpt3.yaml:4:23: training.hbm_sizes[1]: \"64 GB/s\" is a bandwidth, "
                               "expected a size"));
        QVERIFY(r.err.contains("3 errors"));
    }

    void checkFindsModelProblems()
    {
        QTemporaryDir dir;
        const QString path = writeTemp(
            dir, "tp.yaml", "models: [gpt2-xl]\ntraining:\n  tensor_parallel_widths: [1, 7]\n");
        const Run r = phaze({"check", path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("models[0]") && r.err.contains("width 7"), qPrintable(r.err));
    }

    void params()
    {
        const Run text = phaze({"params"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("hbm_sizes"));
        const Run md = phaze({"params", "--markdown"});
        QCOMPARE(md.exitCode, 0);
        QVERIFY(md.out.contains("| `hbm_size` | `32 GiB` |"));
    }

    void modelJson()
    {
        const Run r = phaze({"model", "gpt2-xl", "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY2(!o.isEmpty(), qPrintable(r.out.left(400)));
        QVERIFY(o.value("parameters").isDouble());
        QCOMPARE(qint64(o.value("parameters").toDouble()), qint64(1557611200));
        const QJsonArray layers = o.value("layers").toArray();
        QCOMPARE(layers.size(), 50);
        for (const char *key :
             {"id", "kind", "parameters", "activation_bytes", "operators", "flops_forward"})
            QVERIFY2(layers.at(1).toObject().contains(key), key);
        const QJsonArray edges = o.value("edges").toArray();
        QCOMPARE(edges.size(), 49);
        // b x s x h x 2 bytes between blocks.
        QCOMPARE(edges.at(3).toObject().value("bytes").toDouble(), 1.0 * 1024 * 1600 * 2);
        QVERIFY(r.err.contains("block.0 .. block.47"));
    }

    void modelOptionsAndErrors()
    {
        const Run t8 = phaze({"model", "gpt3-175b", "--tp", "8", "--mbs", "2", "--seq", "1024"});
        QCOMPARE(t8.exitCode, 0);
        QVERIFY2(t8.out.contains("microbatch 2, sequence 1024, tensor-parallel width 8"),
                 qPrintable(t8.out));
        const Run bad = phaze({"model", "gpt2-xl", "--tp", "7"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(!bad.err.isEmpty());
        QCOMPARE(phaze({"model", "no-such-model"}).exitCode, 2);
        QCOMPARE(phaze({"model", "gpt2-xl", "--tp", "zero"}).exitCode, 2);
    }

    void importedGraph()
    {
        const Run r = phaze({"model", PHAZE_SOURCE_DIR "/examples/graphs/diamond.json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("branching"), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
