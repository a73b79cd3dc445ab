// The Memory tab: the focused configuration's placement is replayed off the GUI thread and drawn
// as one stacked bar per stage whose parts are the stage's memory breakdown, against a line at
// the configuration's HBM capacity; a new focus replays again; the chart exports to PNG, PDF and
// SVG.

#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>

#include "core/evaluation/evaluator.h"
#include "core/io/projectprepare.h"
#include "core/io/projectsearch.h"
#include "tests/support/testtiming.h"
#include "widgets/memoryplot.h"
#include "widgets/memorytab.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

// The what-if run of the project's fixed architecture, as the main window makes it.
CodesignResult whatIfOf(const Session &session)
{
    CodesignOptions options;
    options.architecture = session.project().architecture->config;
    Result<CodesignResult> r = runCodesign(session.project(), session.baseDir(), options);
    if (!r.hasValue())
        qFatal("what-if run failed: %s", r.message.c_str());
    return std::move(*r.value);
}

// What is drawn is the replayed placement's breakdown, stage by stage and part by part.
void checkBars(const MemoryTab &tab, const Evaluation &e)
{
    QVERIFY2(tab.replay().has_value(), qPrintable(tab.summaryText()));
    const Placement &p = tab.replay()->placement;
    const MemoryPlot *plot = tab.memoryPlot();
    QCOMPARE(int(p.stages.size()), e.models.front().pipelineStages);
    QCOMPARE(plot->stageCount(), int(p.stages.size()));
    double peak = 0.0;
    for (int k = 0; k < int(p.stages.size()); ++k) {
        const PlacedStage &s = p.stages[std::size_t(k)];
        double stacked = 0.0;
        for (int part = 0; part < MemoryPlot::kPartCount; ++part) {
            const auto which = MemoryPlot::Part(part);
            const double bytes = MemoryPlot::partBytes(s.memory, which);
            QCOMPARE(plot->drawnPartGiB(k, which), bytes / kGiB);
            stacked += bytes;
        }
        QCOMPARE(stacked, s.memoryBytes);
        QVERIFY(s.memoryBytes <= e.config.hbmBytes);
        peak = std::max(peak, s.memoryBytes);
    }
    // The search reported the same most loaded stage.
    QCOMPARE(peak, e.models.front().memoryPerDevice);
    QCOMPARE(tab.capacityBytes(), e.config.hbmBytes);
    QCOMPARE(plot->drawnCapacityGiB(), e.config.hbmBytes / kGiB);
    QCOMPARE(tab.summaryText(), MemoryTab::summarize(p, e.config.hbmBytes));
}

} // namespace

class TestMemoryTab : public QObject
{
    Q_OBJECT

private slots:
    void barsAreTheBreakdownOfTheFocusedConfiguration()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        MemoryTab tab(&session);
        tab.resize(1000, 560);
        QSignalSpy ready(&tab, &MemoryTab::memoryReady);
        tab.show();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, scaledMs(5000)); // nothing focused yet
        QVERIFY(!tab.replay());
        QVERIFY(tab.summaryText().contains(u"Select"_s));

        session.results()->setWhatIf(whatIfOf(session));
        QVERIFY(tab.isRunning());
        QCOMPARE(ready.count(), 1); // the replay comes back through the event loop
        QVERIFY(ready.wait(scaledMs(120'000)));
        QCOMPARE(ready.last().at(0).value<Status>(), Status::Optimal);
        const Evaluation &e = *session.results()->focused();
        checkBars(tab, e);
        QVERIFY(e.models.front().pipelineStages > 1);
        QVERIFY(tab.summaryText().contains(QString::number(e.config.hbmBytes / kGiB, 'f', 2)));
        const QStringList labels = tab.memoryPlot()->stageLabels();
        QCOMPARE(labels.size(), e.models.front().pipelineStages);
        // Long labels for a few stages, "stage / layers" for more, so that they never overlap.
        QVERIFY2(labels.front().startsWith(labels.size() <= 4 ? u"Stage 1\nlayer"_s : u"1\n1"_s),
                 qPrintable(labels.front()));
        // Hovering a bar's middle names its stage.
        const int stage = tab.memoryPlot()->stageCount() - 1;
        QVERIFY(tab.memoryPlot()->describe(stage).contains(u"Weights"_s));

        QTemporaryDir tmp;
        const QList<QPair<QString, QByteArray>> formats = {
            {u"png"_s, QByteArray("\x89PNG\r\n\x1a\n")}, {u"pdf"_s, "%PDF"}, {u"svg"_s, "<svg"}};
        for (const auto &[suffix, magic] : formats) {
            const QString path = tmp.filePath(u"memory."_s + suffix);
            QCOMPARE(tab.exportPlot(path, 1000, 500), QString());
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY(bytes.size() > 1000);
            QVERIFY2(suffix == u"svg"_s ? bytes.contains(magic) : bytes.startsWith(magic),
                     qPrintable(suffix));
        }
        QVERIFY(!tab.exportPlot(tmp.filePath(u"memory.txt"_s), 100, 100).isEmpty());
        // The screenshot for the documentation.
        QVERIFY(tab.grab().save(QStringLiteral(PHAZE_BINARY_DIR "/memory.png")));
    }

    void aNewFocusReplaysAgain()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        session.results()->setWhatIf(whatIfOf(session));
        MemoryTab tab(&session);
        QSignalSpy ready(&tab, &MemoryTab::memoryReady);
        tab.show();
        QVERIFY(ready.wait(scaledMs(120'000)));
        QCOMPARE(tab.capacityBytes(), 64 * kGiB);

        // A search result on the same chip with half the HBM: selecting it re-places the model.
        const Result<std::shared_ptr<const PreparedProject>> prepared =
            prepareProject(session.project(), session.baseDir());
        QVERIFY2(prepared.value, prepared.message.c_str());
        Evaluator evaluator(*prepared.value);
        Candidate c;
        c.index = 3;
        c.config = session.project().architecture->config;
        c.config.hbmBytes = 32 * kGiB;
        const Evaluation small = evaluator.evaluate(c);
        QVERIFY(small.feasible());
        session.results()->addEvaluation(small);
        session.results()->selectRow(0);
        QVERIFY(tab.isRunning());
        QVERIFY(ready.wait(scaledMs(120'000)));
        checkBars(tab, small);
        QCOMPARE(tab.memoryPlot()->drawnCapacityGiB(), 32.0);

        // Back to the what-if configuration when the selection goes.
        session.results()->clearSelection();
        QVERIFY(ready.wait(scaledMs(120'000)));
        checkBars(tab, *session.results()->whatIfEvaluation());
    }

    void hiddenTabWaitsUntilShown()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        MemoryTab tab(&session);
        QSignalSpy ready(&tab, &MemoryTab::memoryReady);
        session.results()->setWhatIf(whatIfOf(session));
        QVERIFY(!tab.isRunning());
        tab.show();
        QVERIFY(tab.isRunning());
        QVERIFY(ready.wait(scaledMs(120'000)));
        QVERIFY(tab.replay().has_value());
    }

    void infeasibleFocusSaysWhy()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/what-if-4tc.yaml")));
        CodesignResult none;
        Evaluation e;
        e.config = session.project().architecture->config;
        e.status = Status::Infeasible;
        e.message = "gpt2-xl: stage 1 of 1 needs 90 GiB";
        ModelOutcome m;
        m.model = "gpt2-xl";
        m.status = Status::Infeasible;
        m.message = e.message;
        e.models.push_back(m);
        none.search.evaluations.push_back(e);
        session.results()->setWhatIf(none);
        MemoryTab tab(&session);
        QSignalSpy ready(&tab, &MemoryTab::memoryReady);
        tab.show();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, scaledMs(5000));
        QCOMPARE(ready.last().at(0).value<Status>(), Status::Error);
        QVERIFY(tab.summaryText().contains(u"90 GiB"_s));
        QCOMPARE(tab.memoryPlot()->stageCount(), 0);
    }
};

QTEST_MAIN(TestMemoryTab)
#include "test_memorytab.moc"
