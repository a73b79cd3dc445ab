// Pinned designs side by side, and the Sweep tab that sweeps them: the pins keep the project
// each was evaluated with and outlive new results (not another project); the table has a column
// per pin, highlights exactly the rows that differ; the sweep's point at a pin's own value is
// that pin's throughput, bit for bit, and each pin is swept in its own project.

#include <QtTest>

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

#include "core/io/projectsearch.h"
#include "widgets/pinnedtab.h"
#include "widgets/pipelineplot.h"
#include "widgets/pipelinetab.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"
#include "widgets/sweeptab.h"

using namespace phaze;
using namespace Qt::StringLiterals;

namespace {

const QString kSelene = QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt3-175b-selene.yaml");

// The what-if evaluation of the session's project, installed as the what-if loop would.
void evaluateWhatIf(Session &session)
{
    CodesignOptions options;
    options.architecture = session.project().architecture->config;
    options.threads = 1;
    Result<CodesignResult> r = runCodesign(session.project(), session.baseDir(), options);
    if (!r.hasValue())
        qFatal("what-if run failed: %s", r.message.c_str());
    session.results()->setWhatIf(std::move(*r.value), session.snapshot());
}

// Two pins of GPT-3 175B on Selene: as published (25 GB/s between nodes), and with 50 GB/s.
void pinTwoClusters(Session &session)
{
    evaluateWhatIf(session);
    QVERIFY(session.results()->pinFocused());
    QVERIFY(!session.results()->pinFocused()); // the same design of the same project
    QCOMPARE(session.setField(u"cluster"_s, u"inter_node_bandwidth"_s, u"50 GB/s"_s), QString());
    evaluateWhatIf(session);
    QVERIFY(session.results()->pinFocused());
}

} // namespace

class TestPinnedTab : public QObject
{
    Q_OBJECT

private slots:
    void pinnedPipelinesShareOneTimeAxis()
    {
        Session session;
        QVERIFY(session.open(kSelene));
        PinnedTab tab(&session);
        tab.resize(1100, 900);
        tab.show();
        tab.views()->setCurrentWidget(tab.pipelines());
        PinnedPipelines *view = tab.pipelines();
        QVERIFY(view->statusText().contains(u"Pin designs"_s));
        pinTwoClusters(session);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isRunning() && view->plots().size() == 2, 300000);
        const std::vector<PinnedDesign> &pins = session.results()->pinned();
        for (std::size_t i = 0; i < pins.size(); ++i) {
            // The Pipeline tab's simulation of each pin, with the project it was pinned with.
            const auto evaluator = pins[i].project.evaluatorOrPrepare();
            QVERIFY(evaluator.hasValue());
            const Result<PlacementReplay> expected =
                replayPlacement(**evaluator.value, pins[i].evaluation, 0);
            QVERIFY(expected.hasValue());
            QVERIFY(view->replays()[i]);
            QCOMPARE(view->replays()[i]->timeline.makespan, expected.value->timeline.makespan);
            QCOMPARE(view->plots()[i]->blocks().size(), expected.value->timeline.events.size());
            QCOMPARE(view->captions()[i],
                     pins[i].label + u": "_s + PipelineTab::summarize(*expected.value));
            // One number: the simulated iteration is the time the pin was ranked by.
            QCOMPARE(expected.value->timeline.makespan, pins[i].evaluation.models[0].timePerBatch);
        }
        // One time axis for both, so the faster cluster's pipeline visibly ends first.
        const QCPRange a = view->plots()[0]->plot()->xAxis->range();
        const QCPRange b = view->plots()[1]->plot()->xAxis->range();
        QCOMPARE(a.upper, b.upper);
        QCOMPARE(a.lower, b.lower);
        QVERIFY(view->replays()[1]->timeline.makespan < view->replays()[0]->timeline.makespan);
        QCOMPARE(a.upper, 1.01 * view->replays()[0]->timeline.makespan * 1e3);
        // Unpinning one shows the other alone, on its own length.
        session.results()->unpin(0);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isRunning() && view->plots().size() == 1, 300000);
        QVERIFY(view->captions()[0].startsWith(u"current architecture #2: "_s));
        QCOMPARE(view->plots()[0]->plot()->xAxis->range().upper,
                 1.01 * view->replays()[0]->timeline.makespan * 1e3);
        session.results()->clearPins();
        QTRY_VERIFY(view->plots().empty());
        QVERIFY(view->statusText().contains(u"Pin designs"_s));
    }

    // `--pin K`: the best design of each of the K fastest compute configurations; designs that
    // differ only in GLB or HBM size are one configuration. The selection stays.
    void pinsTheFastestComputeConfigurations()
    {
        Session session;
        QVERIFY(session.open(kSelene));
        ResultStore *store = session.results();
        store->setSearchedProject(session.snapshot());
        const auto design = [](std::size_t candidate, int numTc, double glb, double throughput) {
            Evaluation e;
            e.candidate = candidate;
            e.config.numTc = numTc;
            e.config.glbBytes = glb;
            e.status = Status::Optimal;
            e.throughput = throughput;
            return e;
        };
        store->addEvaluation(design(0, 4, 1e6, 10.0));
        store->addEvaluation(design(1, 8, 1e6, 30.0));
        store->addEvaluation(design(2, 8, 2e6, 29.0)); // the same cores as 1, another GLB
        store->addEvaluation(design(3, 16, 1e6, 20.0));
        Evaluation infeasible = design(4, 32, 1e6, 0.0);
        infeasible.status = Status::Infeasible;
        store->addEvaluation(infeasible);
        store->selectRow(0);
        QCOMPARE(store->pinFastestConfigurations(2), 2);
        QCOMPARE(store->pinned().size(), std::size_t(2));
        QCOMPARE(store->pinned()[0].evaluation.candidate, std::size_t(1));
        QCOMPARE(store->pinned()[1].evaluation.candidate, std::size_t(3));
        QCOMPARE(store->selectedRow(), 0);
        // More than there are: every feasible configuration once, nothing twice.
        store->clearPins();
        QCOMPARE(store->pinFastestConfigurations(10), 3);
        QCOMPARE(store->pinned()[2].evaluation.candidate, std::size_t(0));
        QCOMPARE(store->pinFastestConfigurations(10), 0);
    }

    void pinsAreComparedSideBySide()
    {
        Session session;
        QVERIFY(session.open(kSelene));
        PinnedTab tab(&session);
        QCOMPARE(tab.table()->columnCount(), 0);
        pinTwoClusters(session);
        const std::vector<PinnedDesign> &pins = session.results()->pinned();
        QCOMPARE(pins.size(), std::size_t(2));
        QCOMPARE(pins[0].label, u"current architecture"_s);
        QCOMPARE(pins[1].label, u"current architecture #2"_s);
        // Numbered by the same label only: "candidate 1" is not "candidate 12".
        ResultStore labels;
        Evaluation twelve, one;
        twelve.candidate = 12;
        one.candidate = 1;
        one.config.numTc = 4; // another configuration
        labels.setSearchedProject(session.snapshot());
        labels.addEvaluation(twelve);
        labels.addEvaluation(one);
        labels.selectRow(0);
        QVERIFY(labels.pinFocused());
        labels.selectRow(1);
        QVERIFY(labels.pinFocused());
        QCOMPARE(labels.pinned()[1].label, u"candidate 1"_s);
        QCOMPARE(pins[0].project.project.cluster.interNode.bandwidth, 25e9);
        QCOMPARE(pins[1].project.project.cluster.interNode.bandwidth, 50e9);

        QCOMPARE(tab.table()->columnCount(), 2);
        // Exactly the rows that differ are highlighted: the edited bandwidth and what it moved.
        const int bandwidth = tab.rowOf(u"cluster.inter_node_bandwidth"_s);
        const int throughput = tab.rowOf(u"Throughput (samples/s)"_s);
        const int numTc = tab.rowOf(u"num_tc"_s);
        const int tp = tab.rowOf(u"gpt3-175b: layout (t, p, d, microbatch)"_s);
        QVERIFY(bandwidth >= 0 && throughput >= 0 && numTc >= 0 && tp >= 0);
        QVERIFY(tab.rowDiffers(bandwidth));
        QVERIFY(tab.rowDiffers(throughput));
        QVERIFY(!tab.rowDiffers(numTc));
        QVERIFY(!tab.rowDiffers(tp));
        QCOMPARE(tab.table()->item(bandwidth, 0)->text(), u"25 GB/s"_s);
        QCOMPARE(tab.table()->item(bandwidth, 1)->text(), u"50 GB/s"_s);
        QCOMPARE(tab.table()->item(tp, 0)->text(), u"t 8 p 8 d 1 mb 1, recomputation"_s);
        QCOMPARE(tab.table()->item(throughput, 0)->text(),
                 QString::number(pins[0].evaluation.throughput, 'f', 2));
        QVERIFY(pins[1].evaluation.throughput > pins[0].evaluation.throughput);
        QVERIFY(tab.table()->item(bandwidth, 0)->font().bold());
        QVERIFY(!tab.table()->item(numTc, 0)->font().bold());
        // Only differences: the identical rows go, the differing ones stay.
        tab.onlyDifferencesBox()->setChecked(true);
        QVERIFY(tab.table()->isRowHidden(numTc));
        QVERIFY(!tab.table()->isRowHidden(bandwidth));
        tab.onlyDifferencesBox()->setChecked(false);
        QVERIFY(!tab.table()->isRowHidden(numTc));

        // The chips' breakdowns side by side, under the tables that scored them.
        QCOMPARE(tab.breakdownPlot()->chips().size(), std::size_t(2));
        QVERIFY(tab.breakdownPlot()->drawnTotal(0) > 0.0);
        // CSV: a header, then one line per row.
        QTemporaryDir dir;
        const QString csvPath = dir.filePath(u"pinned.csv"_s);
        QCOMPARE(tab.exportCsv(csvPath), QString());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(u'\n');
        QCOMPARE(lines.size(), tab.table()->rowCount() + 1);
        QVERIFY(lines.front().startsWith(u"parameter,current architecture,"_s));

        // Pins outlive new results; unpinning a selected column removes that pin.
        session.results()->clear();
        QCOMPARE(session.results()->pinned().size(), std::size_t(2));
        tab.table()->selectColumn(0);
        tab.unpinSelected();
        QCOMPARE(session.results()->pinned().size(), std::size_t(1));
        QCOMPARE(session.results()->pinned().front().label, u"current architecture #2"_s);
        QCOMPARE(tab.table()->columnCount(), 1);
        // Another project drops them: its models are not these.
        QVERIFY(session.open(kSelene));
        QVERIFY(session.results()->pinned().empty());
        QCOMPARE(tab.table()->columnCount(), 0);
    }

    void sweepsThePinnedDesignsEachInItsProject()
    {
        Session session;
        QVERIFY(session.open(kSelene));
        pinTwoClusters(session);
        SweepTab sweep(&session);
        // A system project lists the cluster's numbers, not PHAZE's single link.
        QVERIFY(sweep.parameterCombo()->findData(u"cluster.inter_node_bandwidth"_s) >= 0);
        QVERIFY(sweep.parameterCombo()->findData(u"strategy.tp"_s) >= 0);
        QVERIFY(sweep.parameterCombo()->findData(u"training.link_bandwidth"_s) < 0);
        QVERIFY(!sweep.setParameter(u"training.link_bandwidth"_s));
        QVERIFY(sweep.setParameter(u"cluster.inter_node_bandwidth"_s));
        // Suggestions around the first pin's value.
        QCOMPARE(sweep.valuesEdit()->text(), u"6.25 GB/s, 12.5 GB/s, 25 GB/s, 50 GB/s, 100 GB/s"_s);

        // The parameter the pins differ in: each pin is swept in its own project, so the two
        // curves meet (same chip, same layout) and each passes through its own pin.
        sweep.valuesEdit()->setText(u"12.5 GB/s, 25 GB/s, 50 GB/s"_s);
        QSignalSpy done(&sweep, &SweepTab::sweepFinished);
        sweep.runSweep();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.front().at(0).value<Status>(), Status::Optimal);
        QVERIFY(sweep.result());
        const std::vector<SweepCurve> &curves = sweep.result()->curves;
        QCOMPARE(curves.size(), std::size_t(2));
        const std::vector<PinnedDesign> &pins = session.results()->pinned();
        // At a pin's own value the sweep is the pin, bit for bit: one number per question.
        QCOMPARE(curves[0].points[1].throughput, pins[0].evaluation.throughput);
        QCOMPARE(curves[1].points[2].throughput, pins[1].evaluation.throughput);
        // Both pins are the same chip and layout: at each value the curves meet.
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(curves[0].points[i].throughput, curves[1].points[i].throughput);
        QVERIFY(curves[0].points[0].throughput < curves[0].points[2].throughput);

        // Drawn: one line per design through every point, in GB/s.
        QCustomPlot *plot = sweep.plot();
        QCOMPARE(plot->graphCount(), 2);
        QCOMPARE(plot->graph(0)->data()->size(), 3);
        QCOMPARE(plot->graph(0)->data()->at(1)->key, 25.0);
        QCOMPARE(plot->graph(0)->data()->at(1)->value, pins[0].evaluation.throughput);
        QCOMPARE(plot->graph(1)->name(), u"current architecture #2"_s);
        QVERIFY(plot->xAxis->label().contains(u"GB/s"_s));
        QVERIFY(!plotIsEmpty(plot));
        sweep.logXBox()->setChecked(true);
        QCOMPARE(plot->xAxis->scaleType(), QCPAxis::stLogarithmic);

        QTemporaryDir dir;
        const QString csvPath = dir.filePath(u"sweep.csv"_s);
        QCOMPARE(sweep.exportCsv(csvPath), QString());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(csv.readAll()).trimmed().split(u'\n').size(), 7);
        const QString pdf = dir.filePath(u"sweep.pdf"_s);
        QCOMPARE(exportCustomPlot(plot, pdf, 504, 374), QString());
        QVERIFY(QFileInfo(pdf).size() > 1000);
    }

    void aBadValueIsReportedAndNothingIsLost()
    {
        Session session;
        QVERIFY(session.open(kSelene));
        SweepTab sweep(&session);
        // Nothing pinned or focused yet: nothing to sweep, said so.
        QSignalSpy done(&sweep, &SweepTab::sweepFinished);
        sweep.runSweep();
        QCOMPARE(done.size(), 1);
        QCOMPARE(done.front().at(0).value<Status>(), Status::Infeasible);
        QVERIFY(sweep.statusText().contains(u"Nothing to sweep"_s));
        // With the what-if focused (no pins): a size for a bandwidth is refused, naming it.
        evaluateWhatIf(session);
        QVERIFY(sweep.setParameter(u"cluster.inter_node_bandwidth"_s));
        sweep.valuesEdit()->setText(u"25 GB/s, 64 GiB"_s);
        sweep.runSweep();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.back().at(0).value<Status>(), Status::Error);
        QVERIFY2(sweep.statusText().contains(u"value 2 (\"64 GiB\")"_s),
                 qPrintable(sweep.statusText()));
        QVERIFY(!sweep.result());
        // The focused design alone is swept when nothing is pinned.
        sweep.valuesEdit()->setText(u"25 GB/s"_s);
        sweep.runSweep();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.back().at(0).value<Status>(), Status::Optimal);
        QCOMPARE(sweep.result()->curves.size(), std::size_t(1));
        QCOMPARE(sweep.result()->curves[0].label, std::string("current architecture"));
        QCOMPARE(sweep.result()->curves[0].points[0].throughput,
                 session.results()->focused()->throughput);
    }
};

QTEST_MAIN(TestPinnedTab)
#include "test_pinnedtab.moc"
