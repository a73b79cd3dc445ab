#pragma once

// The Layer schedule tab: the exact operator schedule of one distinct layer of a model, forward
// or backward, on the focused configuration's architecture (the selected search result's, else
// the what-if one's, else the project's fixed architecture), drawn as a Gantt chart (identical
// cores folded into one row unless "Expand identical cores" is checked). The schedules are
// solved by a BackgroundJob (conventions.md rule 9), restarted when the inputs change and
// cancelled in the destructor; the worker never touches a widget.

#include <QString>
#include <QWidget>

#include <optional>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/schedule/layerscheduler.h"
#include "core/spec/acceleratorconfig.h"
#include "widgets/backgroundjob.h"
#include "widgets/rooflineplot.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace phaze {

class GanttPlot;
class Session;

// What the worker hands back: every distinct layer's schedules, or why there are none.
struct LayerScheduleRun {
    Status status = Status::Error;
    QString message;
    std::vector<LayerScheduleEntry> layers;
    // The FLOPs of each entry's layer, forward and backward (for the achieved FLOP/s).
    std::vector<double> forwardFlops, backwardFlops;
    // Each entry's operators on the roofline, forward and backward, and the chip's roofs.
    std::vector<std::vector<RooflinePoint>> forwardPoints, backwardPoints;
    RooflineRoofs roofs;

    static LayerScheduleRun error(const std::string &why)
    {
        LayerScheduleRun run;
        run.message = QString::fromStdString(why);
        return run;
    }
};

class LayerScheduleTab : public QWidget
{
    Q_OBJECT

public:
    explicit LayerScheduleTab(Session *session, QWidget *parent = nullptr);
    // The job cancels and waits in its destructor, so the worker never outlives the tab.
    ~LayerScheduleTab() override;

    bool isRunning() const { return m_job.isRunning(); }
    const std::vector<LayerScheduleEntry> &layers() const { return m_layers; }
    // The architecture the schedules are for, when there is one.
    const std::optional<AcceleratorConfig> &config() const { return m_config; }
    int layerIndex() const;
    void setLayerIndex(int index);
    bool showsBackward() const;
    void setShowsBackward(bool backward);
    // The pass drawn now, or null.
    const PassSchedule *currentPass() const;
    GanttPlot *gantt() const { return m_gantt; }
    // The roofline of the pass drawn now (its operators, the chip's roofs), shown instead of
    // the Gantt chart when the view is "Roofline".
    RooflinePlot *roofline() const { return m_roofline; }
    bool showsRoofline() const;
    void setShowsRoofline(bool roofline);
    // "Expand identical cores": one Gantt row per core instead of one per group.
    bool expandsCores() const;
    void setExpandsCores(bool expand);
    QString statusText() const;
    // The pass drawn now: its FLOPs, and its achieved FLOP/s over the chip's peak (the layer's
    // FLOPs over its makespan), when it has a schedule.
    std::optional<double> passFlops() const;
    std::optional<double> passEfficiency() const;
    QString efficiencyText() const;
    // Writes the chart as PNG, PDF or SVG (by suffix). Returns "" or the error.
    QString exportPlot(const QString &path, int widthPx, int heightPx, double scale = 1.0);

public slots:
    // Solves the schedules again for the current inputs (cancelling a running job).
    void refresh();

signals:
    // A job finished (also after an error); the layer list and chart are up to date.
    void scheduleReady(phaze::Status status, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void start();
    void onFinished(LayerScheduleRun run);
    void redraw();

    Session *m_session;
    QComboBox *m_modelCombo;
    QComboBox *m_layerCombo;
    QComboBox *m_passCombo;
    QComboBox *m_viewCombo;
    QCheckBox *m_expandCores;
    QPushButton *m_exportButton;
    QLabel *m_status;
    QLabel *m_efficiency; // the pass's achieved FLOP/s over the peak
    GanttPlot *m_gantt;
    RooflinePlot *m_roofline;
    QStackedWidget *m_charts;
    bool m_dirty = true; // inputs changed while hidden: solve when shown
    std::optional<AcceleratorConfig> m_config;
    std::vector<double> m_forwardFlops, m_backwardFlops;
    std::vector<std::vector<RooflinePoint>> m_forwardPoints, m_backwardPoints;
    RooflineRoofs m_roofs;
    std::vector<LayerScheduleEntry> m_layers;
    BackgroundJob<LayerScheduleRun> m_job;
};

} // namespace phaze
