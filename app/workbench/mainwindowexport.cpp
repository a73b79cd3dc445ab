// The main window's exports: every figure to a folder, schedules and timelines to Chrome trace,
// results to CSV and JSON. What needs a tab to compute first is written when it has, from the
// event loop (whenIdle): the window stays responsive and nothing spins a loop of its own.

#include "app/workbench/mainwindow.h"

#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

#include "core/io/atomicfile.h"
#include "core/io/searchjson.h"
#include "core/io/pipelinetrace.h"
#include "core/io/scheduletrace.h"
#include "widgets/comparetab.h"
#include "widgets/exportdialog.h"
#include "widgets/ganttplot.h"
#include "widgets/layerscheduletab.h"
#include "widgets/memorytab.h"
#include "widgets/paretoplot.h"
#include "widgets/pinnedtab.h"
#include "widgets/pipelineplot.h"
#include "widgets/pipelinetab.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"
#include "widgets/sweeptab.h"
#include "widgets/timetab.h"
#include "widgets/validationview.h"

namespace phaze {

using namespace Qt::StringLiterals;

void MainWindow::createExportMenu(QMenu *file)
{
    QMenu *menu = file->addMenu(tr("&Export"));
    menu->setObjectName("exportMenu");
    menu->addAction(tr("All &Figures..."), QKeySequence(tr("Ctrl+Shift+E")), this,
                    &MainWindow::exportAllInteractively);
    menu->addSeparator();
    menu->addAction(tr("Layer Schedules as Chrome &Trace..."), this,
                    [this] { exportTraceInteractively(false); });
    menu->addAction(tr("&Pipeline Timeline as Chrome Trace..."), this,
                    [this] { exportTraceInteractively(true); });
    menu->addSeparator();
    menu->addAction(tr("Results as &JSON..."), this, [this] {
        const auto &result = m_session->results()->result();
        if (!result) {
            QMessageBox::information(this, tr("Export results"), tr("Run a search first."));
            return;
        }
        const QString path = QFileDialog::getSaveFileName(this, tr("Export results"),
                                                          u"results.json"_s, tr("JSON (*.json)"));
        if (path.isEmpty())
            return;
        const std::string text =
            searchResultToJson(result->search, codesignExtraJson(*result)) + "\n";
        if (const Outcome e = writeFileAtomically(path.toStdString(), text); !e.ok())
            QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.message));
    });
    menu->addAction(tr("Results as &CSV..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export results"),
                                                          u"results.csv"_s, tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        const std::string text = searchResultToCsv(m_session->results()->searchResult());
        if (const Outcome e = writeFileAtomically(path.toStdString(), text); !e.ok())
            QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.message));
    });
}

QList<MainWindow::Figure> MainWindow::figures() const
{
    QList<Figure> out = {{u"pareto"_s, u"explore"_s, m_explore->plot()},
                         {u"layer-schedule"_s, u"schedule"_s, m_scheduleTab->gantt()->plot()},
                         {u"roofline"_s, u"schedule"_s, m_scheduleTab->roofline()->plot()},
                         {u"pipeline"_s, u"pipeline"_s, m_pipelineTab->pipeline()->plot()},
                         {u"memory"_s, u"memory"_s, m_memoryTab->plot()}};
    // Only the system profile's schedule has a time breakdown (PHAZE's is a closed form).
    if (m_session->project().training.profile == ModelProfile::System)
        out.push_back({u"time-breakdown"_s, u"time"_s, m_timeTab->plot()});
    out += QList<Figure>{{u"compare"_s, u"compare"_s, m_compareTab->plot()},
                         {u"chip-breakdown"_s, u"chip"_s, m_compareTab->breakdownPlot()->plot()},
                         {u"validation"_s, u"validation"_s, m_validation->plot()}};
    // The pinned designs' breakdowns and the sweep exist only once the user made them.
    if (!m_session->results()->pinned().empty())
        out.push_back({u"pinned-breakdown"_s, u"pinned"_s, m_pinnedTab->breakdownPlot()->plot()});
    if (m_sweepTab->result())
        out.push_back({u"sweep"_s, u"sweep"_s, m_sweepTab->plot()});
    return out;
}

bool MainWindow::exportAllFigures(const QString &folder, const QStringList &suffixes,
                                  double widthInches, double heightInches, int dpi,
                                  LegendPlacement legend)
{
    if (m_figureExport)
        return false;
    FigureExport job;
    job.folder = folder;
    job.suffixes = suffixes;
    job.size = FigureSize{widthInches, heightInches, dpi, legend};
    job.figures = figures();
    job.returnTo = m_tabs->currentWidget();
    m_figureExport = std::move(job);
    if (!QDir().mkpath(folder)) {
        m_figureExport->failed << tr("%1: cannot create the folder").arg(folder);
        m_figureExport->next = int(m_figureExport->figures.size());
    }
    // From the event loop, also when nothing is to be done: the caller hears of the end through
    // figuresExported, after this call returned.
    QMetaObject::invokeMethod(this, &MainWindow::exportNextFigure, Qt::QueuedConnection);
    return true;
}

void MainWindow::whenTabIdle(const QString &tab, std::function<void(bool)> then)
{
    // The detail tabs compute only while visible: show the tab and let it finish.
    showTab(tab);
    whenIdle([this, tab, then = std::move(then)](bool idle) {
        if (idle && m_tabs->currentWidget() != m_tabsByName.value(tab)) {
            // The user went to another tab meanwhile: what was idle is not the tab we need.
            whenTabIdle(tab, then);
            return;
        }
        then(idle);
    });
}

void MainWindow::exportNextFigure()
{
    FigureExport &job = *m_figureExport;
    if (job.next >= int(job.figures.size())) {
        finishFigureExport();
        return;
    }
    statusBar()->showMessage(tr("Exporting figure %1 of %2 (%3)...")
                                 .arg(job.next + 1)
                                 .arg(job.figures.size())
                                 .arg(job.figures[job.next].fileName));
    whenTabIdle(job.figures[job.next].tab, [this](bool idle) { writeFigure(idle); });
}

void MainWindow::writeFigure(bool idle)
{
    FigureExport &job = *m_figureExport;
    const Figure &figure = job.figures[job.next++];
    if (!idle) {
        job.failed << tr("%1: timed out").arg(figure.fileName);
    } else if (plotIsEmpty(figure.plot)) {
        job.failed << tr("%1: nothing to draw (select a configuration or run a search)")
                          .arg(figure.fileName);
    } else {
        for (const QString &suffix : job.suffixes) {
            const QString path = QDir(job.folder).filePath(figure.fileName + u'.' + suffix);
            const QString error =
                exportCustomPlot(figure.plot, path, job.size.layoutWidth(), job.size.layoutHeight(),
                                 job.size.pngScale(), figure.fileName, job.size.legend);
            if (error.isEmpty())
                job.written << path;
            else
                job.failed << error;
        }
    }
    exportNextFigure();
}

void MainWindow::finishFigureExport()
{
    const FigureExport job = std::move(*m_figureExport);
    m_figureExport.reset();
    if (job.returnTo)
        m_tabs->setCurrentWidget(job.returnTo);
    statusBar()->showMessage(
        tr("Exported %n file(s) to %1", "", int(job.written.size())).arg(job.folder) +
        (job.failed.isEmpty() ? QString()
                              : tr("; %n figure(s) not exported", "", int(job.failed.size()))));
    emit figuresExported(job.written, job.failed);
    if (job.interactive && !job.failed.isEmpty())
        QMessageBox::warning(this, tr("Some figures were not exported"), job.failed.join(u'\n'));
}

void MainWindow::exportAllInteractively()
{
    if (m_figureExport) {
        statusBar()->showMessage(tr("An export of the figures is already running"));
        return;
    }
    const QString suggested =
        m_session->filePath().isEmpty()
            ? QDir::home().filePath(u"figures"_s)
            : QFileInfo(m_session->filePath()).absoluteDir().filePath(u"figures"_s);
    const std::optional<ExportChoice> choice =
        ExportDialog::ask(this, ExportDialog::Target::Folder, suggested);
    if (!choice)
        return;
    exportAllFigures(choice->path, choice->suffixes, choice->size.widthInches,
                     choice->size.heightInches, choice->size.dpi, choice->size.legend);
    m_figureExport->interactive = true; // it starts from the event loop, after this
}

QString MainWindow::exportScheduleTrace(const QString &path)
{
    if (m_scheduleTab->layers().empty())
        return tr("No layer schedules to export: open the Layer schedule tab first.");
    const ChromeTrace trace = layerSchedulesToTrace(m_scheduleTab->layers());
    return QString::fromStdString(writeFileAtomically(path.toStdString(), trace.toJson()).message);
}

QString MainWindow::exportPipelineTrace(const QString &path)
{
    const auto &replay = m_pipelineTab->replay();
    if (!replay)
        return tr("No pipeline timeline to export: open the Pipeline tab first.");
    const std::string title = "pipeline of " + m_session->results()->focusLabel().toStdString() +
                              " (one data-parallel replica)";
    const ChromeTrace trace =
        pipelineToTrace(replay->timeline, int(replay->placement.stages.size()), title);
    return QString::fromStdString(writeFileAtomically(path.toStdString(), trace.toJson()).message);
}

void MainWindow::exportTrace(bool pipeline, const QString &path)
{
    startTraceExport(pipeline, path, false);
}

void MainWindow::exportTraceInteractively(bool pipeline)
{
    // The file first, then the computation: the user does not wait for a dialog.
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chrome trace"),
                                                      pipeline ? u"pipeline.trace.json"_s
                                                               : u"layer-schedules.trace.json"_s,
                                                      tr("Chrome trace (*.json)"));
    if (!path.isEmpty())
        startTraceExport(pipeline, path, true);
}

void MainWindow::startTraceExport(bool pipeline, const QString &path, bool interactive)
{
    statusBar()->showMessage(pipeline ? tr("Simulating the pipeline for %1...").arg(path)
                                      : tr("Solving the layer schedules for %1...").arg(path));
    whenTabIdle(
        pipeline ? u"pipeline"_s : u"schedule"_s, [this, pipeline, path, interactive](bool idle) {
            const QString error = !idle      ? tr("The computation did not finish.")
                                  : pipeline ? exportPipelineTrace(path)
                                             : exportScheduleTrace(path);
            if (error.isEmpty())
                statusBar()->showMessage(tr("Wrote %1 (open it in ui.perfetto.dev)").arg(path));
            else
                statusBar()->showMessage(tr("Trace not exported: %1").arg(error));
            emit traceExported(path, error);
            if (interactive && !error.isEmpty())
                QMessageBox::warning(this, tr("Export failed"), error);
        });
}

} // namespace phaze
