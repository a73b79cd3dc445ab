#pragma once

// The Validation tab: `phaze validate` on a file of published training runs, shown as a parity
// plot, the model's prediction against the measurement, one point per run, with the diagonal
// and an error band (±10% by default), for one quantity at a time (iteration time, throughput
// per device, parameter and optimizer memory, activation memory). The file is read and every
// run predicted off the GUI thread (BackgroundJob); a file that cannot be read is reported and
// the plot keeps what it showed. Exported like every figure. QCustomPlot stays out of this
// header.

#include <QPointF>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "core/base/status.h"
#include "core/io/validationreport.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;

namespace phaze {

template <typename T> class BackgroundJob;

class ValidationView : public QWidget
{
    Q_OBJECT

public:
    explicit ValidationView(QWidget *parent = nullptr);
    ~ValidationView() override;
    ValidationView(const ValidationView &) = delete;
    ValidationView &operator=(const ValidationView &) = delete;

    // Reads the file and predicts its runs in the background; reportChanged() (or an error in
    // statusText()) follows.
    void openFile(const QString &path);
    bool isRunning() const;
    void setQuantity(ValidationQuantity quantity);
    ValidationQuantity quantity() const { return m_quantity; }
    // The half-width of the band around the diagonal, as a fraction (0.1: ±10%).
    void setBand(double fraction);
    double band() const { return m_band; }
    // Logarithmic axes (the default: published runs span seconds to minutes, GiB to TiB).
    void setLogAxes(bool on);
    bool logAxes() const { return m_log; }

    const std::optional<ValidationReport> &report() const { return m_report; }
    const QString &file() const { return m_file; }
    // The summary of the quantity shown ("8 runs, mean |error| 8.59%, ..."), or the error.
    QString statusText() const;
    // The points drawn, (measured, predicted) in the axes' units (s, TFLOP/s, GiB).
    std::vector<QPointF> drawnPoints() const;
    QCustomPlot *plot() const { return m_plot; }

signals:
    void reportChanged();

private:
    void chooseFile();
    void rebuild();

    QLabel *m_fileLabel;
    QComboBox *m_quantityCombo;
    QDoubleSpinBox *m_bandSpin;
    QCheckBox *m_logCheck;
    QLabel *m_status;
    QCustomPlot *m_plot;
    std::unique_ptr<BackgroundJob<Result<ValidationReport>>> m_job;
    std::optional<ValidationReport> m_report;
    QString m_file;
    QString m_error;
    ValidationQuantity m_quantity = ValidationQuantity::IterationTime;
    double m_band = 0.1;
    bool m_log = true;
};

} // namespace phaze
