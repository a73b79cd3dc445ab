// The main window's exports: every figure to a folder, schedules and timelines to Chrome trace,
// results to CSV and JSON.

#include "app/workbench/mainwindow.h"

#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

#include "core/io/atomicfile.h"
#include "core/io/searchjson.h"
#include "core/placement/pipelinetrace.h"
#include "core/schedule/scheduletrace.h"
#include "widgets/comparetab.h"
#include "widgets/exportdialog.h"
#include "widgets/ganttplot.h"
#include "widgets/layerscheduletab.h"
#include "widgets/memorytab.h"
#include "widgets/paretoplot.h"
#include "widgets/pipelineplot.h"
#include "widgets/pipelinetab.h"
#include "widgets/plotexport.h"
#include "widgets/resultstore.h"
#include "widgets/session.h"

namespace phaze {

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
                                                          "results.json", tr("JSON (*.json)"));
        if (path.isEmpty())
            return;
        const std::string text = searchResultToJson(result->search, codesignExtraJson(*result)) + "\n";
        if (const std::string e = writeFileAtomically(path.toStdString(), text); !e.empty())
            QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e));
    });
    menu->addAction(tr("Results as &CSV..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export results"), "results.csv",
                                                          tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        const std::string text = searchResultToCsv(m_session->results()->searchResult());
        if (const std::string e = writeFileAtomically(path.toStdString(), text); !e.empty())
            QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e));
    });
}

QList<MainWindow::Figure> MainWindow::figures() const
{
    return {{"pareto", "explore", m_explore->plot()},
            {"layer-schedule", "schedule", m_scheduleTab->gantt()->plot()},
            {"pipeline", "pipeline", m_pipelineTab->pipeline()->plot()},
            {"memory", "memory", m_memoryTab->plot()},
            {"compare", "compare", m_compareTab->plot()}};
}

QStringList MainWindow::exportAllFigures(const QString &folder, const QStringList &suffixes,
                                         double widthInches, double heightInches, int dpi,
                                         QStringList *errors)
{
    QStringList written;
    QStringList failed;
    if (!QDir().mkpath(folder)) {
        if (errors)
            *errors << tr("%1: cannot create the folder").arg(folder);
        return written;
    }
    const FigureSize size{widthInches, heightInches, dpi};
    QWidget *current = m_tabs->currentWidget();
    for (const Figure &figure : figures()) {
        // The detail tabs compute only while visible: show each one and let it finish.
        showTab(figure.tab);
        if (!waitUntilIdle()) {
            failed << tr("%1: timed out").arg(figure.fileName);
            continue;
        }
        if (plotIsEmpty(figure.plot)) {
            failed << tr("%1: nothing to draw (select a configuration or run a search)")
                          .arg(figure.fileName);
            continue;
        }
        for (const QString &suffix : suffixes) {
            const QString path = QDir(folder).filePath(figure.fileName + "." + suffix);
            const QString error =
                exportCustomPlot(figure.plot, path, size.layoutWidth(), size.layoutHeight(),
                                 size.pngScale(), figure.fileName);
            if (error.isEmpty())
                written << path;
            else
                failed << error;
        }
    }
    m_tabs->setCurrentWidget(current);
    if (errors)
        *errors = failed;
    return written;
}

void MainWindow::exportAllInteractively()
{
    const QString suggested =
        m_session->filePath().isEmpty()
            ? QDir::home().filePath("figures")
            : QFileInfo(m_session->filePath()).absoluteDir().filePath("figures");
    const std::optional<ExportChoice> choice =
        ExportDialog::ask(this, ExportDialog::Target::Folder, suggested);
    if (!choice)
        return;
    QStringList errors;
    const QStringList written =
        exportAllFigures(choice->path, choice->suffixes, choice->size.widthInches,
                         choice->size.heightInches, choice->size.dpi, &errors);
    statusBar()->showMessage(
        tr("Exported %n file(s) to %1", "", int(written.size())).arg(choice->path));
    if (!errors.isEmpty())
        QMessageBox::warning(this, tr("Some figures were not exported"), errors.join("\n"));
}

QString MainWindow::exportScheduleTrace(const QString &path)
{
    if (m_scheduleTab->layers().empty())
        return tr("No layer schedules to export: open the Layer schedule tab first.");
    const ChromeTrace trace = layerSchedulesToTrace(m_scheduleTab->layers());
    return QString::fromStdString(writeFileAtomically(path.toStdString(), trace.toJson()));
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
    return QString::fromStdString(writeFileAtomically(path.toStdString(), trace.toJson()));
}

void MainWindow::exportTraceInteractively(bool pipeline)
{
    showTab(pipeline ? "pipeline" : "schedule");
    if (!waitUntilIdle()) {
        QMessageBox::warning(this, tr("Export failed"), tr("The computation did not finish."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chrome trace"),
                                                      pipeline ? "pipeline.trace.json"
                                                               : "layer-schedules.trace.json",
                                                      tr("Chrome trace (*.json)"));
    if (path.isEmpty())
        return;
    const QString error = pipeline ? exportPipelineTrace(path) : exportScheduleTrace(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Wrote %1 (open it in ui.perfetto.dev)").arg(path));
}

} // namespace phaze
