#pragma once

// Stacked bars of what compared chips are made of: their area (mm²) or their power at peak (W),
// one bar per chip, one stack segment per component of core/arch's breakdowns (per-core control
// and routers among them under the system profile). The components that are zero in every chip
// are left out of the bars and the legend. QCustomPlot stays out of this header.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"

class QComboBox;
class QCustomPlot;

namespace phaze {

struct ChipBreakdown {
    QString name;
    AreaBreakdown area;
    PowerBreakdown power;
};

class BreakdownPlot : public QWidget
{
    Q_OBJECT

public:
    enum class Quantity { Area, Power };

    explicit BreakdownPlot(QWidget *parent = nullptr);

    void setChips(std::vector<ChipBreakdown> chips);
    void setQuantity(Quantity quantity);
    Quantity quantity() const { return m_quantity; }
    const std::vector<ChipBreakdown> &chips() const { return m_chips; }
    // The legend's entries (the components drawn, short names: "GLB", "NoC routers", "static"),
    // bottom of the stack first.
    QStringList componentLabels() const;
    // The drawn height of a chip's whole bar (read back from the plot), or 0 without chips.
    double drawnTotal(int chip) const;
    QCustomPlot *plot() const { return m_plot; }

private:
    void rebuild();

    QComboBox *m_quantityCombo;
    QCustomPlot *m_plot;
    std::vector<ChipBreakdown> m_chips;
    Quantity m_quantity = Quantity::Area;
};

} // namespace phaze
