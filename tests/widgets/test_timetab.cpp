// The Time tab: under the system profile, the focused configuration's iteration split into the
// components of its critical stage's time breakdown, as one stacked bar as long as the time the
// search ranked; under PHAZE's profile the tab says that its closed form has no breakdown.

#include <QtTest>

#include <QTemporaryDir>

#include "core/io/projectsearch.h"
#include "tests/support/searchinto.h"
#include "tests/support/testtiming.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"
#include "widgets/timebreakdownplot.h"
#include "widgets/timetab.h"

using namespace phaze;
using namespace Qt::StringLiterals;
using testsupport::scaledMs;

namespace {

// The project's search with one thread and no baselines, on its fixed architecture.
std::optional<CodesignResult> searchInto(Session &session, const std::string &dir)
{
    CodesignOptions options;
    options.threads = 1;
    options.baselines = false;
    if (session.project().architecture)
        options.architecture = session.project().architecture->config;
    return testsupport::searchInto(session, dir, options);
}

} // namespace

class TestTimeTab : public QObject
{
    Q_OBJECT

private slots:
    void barIsTheCriticalStagesBreakdown()
    {
        const std::string dir = PHAZE_SOURCE_DIR "/examples";
        Session session;
        QVERIFY(session.open(QString::fromStdString(dir + "/gpt3-175b-selene.yaml")));
        const std::optional<CodesignResult> run = searchInto(session, dir);
        QVERIFY(run);
        const Evaluation e = run->search.evaluations[*run->search.best];

        TimeTab tab(&session);
        tab.resize(1000, 360);
        QSignalSpy ready(&tab, &TimeTab::breakdownReady);
        tab.show();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, scaledMs(5000));
        session.results()->selectRow(session.results()->rowOfCandidate(e.candidate));
        QTRY_VERIFY_WITH_TIMEOUT(tab.replay().has_value(), scaledMs(120'000));
        QVERIFY(tab.replay()->system.has_value());
        const TrainingEstimate &estimate = tab.replay()->system->estimate;
        // One number per question: the bar is as long as the ranked time per batch.
        const TimeBreakdownPlot *plot = tab.breakdown();
        QVERIFY(std::abs(plot->drawnTotalSeconds() - e.models.front().timePerBatch) <
                1e-9 * e.models.front().timePerBatch);
        QVERIFY(std::abs(estimate.time.total() - estimate.iterationTime) <
                1e-9 * estimate.iterationTime);
        // Segment by segment: the non-zero components, in order (this layout has no expert or
        // context parallelism and no exposed data-parallel reduction: dp = 1).
        const QStringList labels = plot->componentLabels();
        QCOMPARE(labels, (QStringList{u"Forward"_s, u"Backward"_s, u"Recomputation"_s,
                                      u"Tensor-parallel"_s, u"Pipeline transfers"_s, u"Bubble"_s,
                                      u"Optimizer step"_s}));
        const std::vector<TimeBreakdownPlot::Segment> segments =
            TimeBreakdownPlot::segmentsOf(estimate.time);
        QCOMPARE(segments.front().seconds, estimate.time.forward);
        QCOMPARE(segments.back().seconds, estimate.time.optimizerStep);
        QVERIFY2(tab.summaryText().contains(u"Iteration %1 s"_s.arg(estimate.iterationTime, 0, 'f', 3)),
                 qPrintable(tab.summaryText()));
        QVERIFY(tab.summaryText().contains(u"stage %1"_s.arg(estimate.criticalStage + 1)));

        QTemporaryDir tmp;
        const QString pdf = tmp.filePath(u"time.pdf"_s);
        QCOMPARE(tab.exportPlot(pdf, 504, 250), QString());
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().startsWith("%PDF"));
        QVERIFY(tab.grab().save(QStringLiteral(PHAZE_BINARY_DIR "/time-breakdown.png")));
    }

    void phazeProfileHasNoBreakdown()
    {
        const std::string dir = PHAZE_SOURCE_DIR "/examples";
        Session session;
        QVERIFY(session.open(QString::fromStdString(dir + "/what-if-4tc.yaml")));
        QCOMPARE(session.project().training.profile, ModelProfile::Phaze);
        const std::optional<CodesignResult> run = searchInto(session, dir);
        QVERIFY(run);
        TimeTab tab(&session);
        QSignalSpy ready(&tab, &TimeTab::breakdownReady);
        tab.show();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, scaledMs(5000));
        session.results()->selectRow(
            session.results()->rowOfCandidate(run->search.evaluations[*run->search.best].candidate));
        QTRY_VERIFY_WITH_TIMEOUT(tab.replay().has_value(), scaledMs(120'000));
        QVERIFY(!tab.replay()->system);
        QCOMPARE(tab.breakdown()->drawnTotalSeconds(), 0.0);
        QVERIFY(tab.breakdown()->componentLabels().isEmpty());
        QVERIFY(tab.summaryText().contains(u"PHAZE's profile"_s));
    }
};

QTEST_MAIN(TestTimeTab)
#include "test_timetab.moc"
