#pragma once

// Writing a QCustomPlot to PNG, PDF or SVG (by suffix), shared by every plot,
// and the layout of the timeline plots. QCustomPlot is only forward-declared so that this header
// stays cheap.

#include <QColor>
#include <QFont>
#include <QString>

#include <cstddef>
#include <optional>
#include <vector>

class QCPAxis;
class QCPItemText;
class QCPLayoutGrid;
class QCPLegend;
class QCustomPlot;
class QWidget;

namespace phaze {

// Where an exported figure's legends go: where the plot keeps them (in rows under the axes),
// inside the axes' top right corner (one entry per row, on a white ground), or nowhere (the
// axes take the room).
enum class LegendPlacement { Below, Inside, None };
// "below", "inside", "none"; nullopt for any other name.
std::optional<LegendPlacement> legendPlacementNamed(const QString &name);
QString legendPlacementName(LegendPlacement placement);

// Writes the plot at widthPx x heightPx; PNG pixels are multiplied by scale (2 for a 2x image of
// the same layout). Returns "" or the error.
QString exportCustomPlot(QCustomPlot *plot, const QString &path, int widthPx, int heightPx,
                         double scale = 1.0, const QString &title = {},
                         LegendPlacement legend = LegendPlacement::Below);
// Asks for a file name (suggesting defaultName) and writes the on-screen layout; reports a
// failure in a message box.
// Point sizes of tick labels and axis titles that stay legible when a figure is printed in one
// column of a two-column paper.
constexpr int kPaperTickPt = 11;
constexpr int kPaperLabelPt = 13;

// Fonts legible when the figure is printed in one column of a two-column paper (tick labels and
// legend at tickPt, axis titles at labelPt) and the legend in rows under the axes, wrapping
// after legendColumns entries: inside the axes it always hid some data.
void stylePaperPlot(QCustomPlot *plot, int tickPt, int labelPt, int legendColumns);
// The colour of the i-th stacked segment or category (Okabe-Ito, colour-blind safe; 9 colours,
// then repeating): the Chip and Time tabs' bars.
QColor categoryColour(std::size_t i);
// A category axis under bars: no grid lines between the categories, no sub-ticks, short ticks.
void styleCategoryAxis(QCPAxis *axis);
// The layout shared by the timeline plots (operator Gantt, pipeline): rows fixed and reversed
// (first row on top), zoom and drag along time only, paper-legible fonts, the legend in a row
// under the axes wrapping after `legendColumns` entries.
void styleTimelinePlot(QCustomPlot *plot, const QString &timeLabel, int legendColumns);

// A text item (a bar's value) with this property true stands upright in a narrow export, where
// the values of neighbouring bars would otherwise touch.
constexpr const char *kUprightWhenNarrow = "phazeUprightWhenNarrow";

// While alive, the plot is laid out for an export widthPx wide. The plots' fonts suit figures
// 5.25 in wide and wider; a narrower export scales the axis, legend and text-item fonts down
// with its width (never below 7 pt), puts the legend in as many columns as fit, puts the y
// label's unit on a second line, and stands the kUprightWhenNarrow values upright, so that a
// one-column figure's labels, legend entries and bar values fit. Other legends in the plot's
// layout (the Explore plot's colour legend) are scaled and fitted the same way, and colour bars'
// fonts scaled. The destructor gives the plot its own layout back.
class NarrowExport
{
public:
    NarrowExport(QCustomPlot *plot, int widthPx);
    ~NarrowExport();
    NarrowExport(const NarrowExport &) = delete;
    NarrowExport &operator=(const NarrowExport &) = delete;

private:
    static void fitLegend(QCPLegend *legend, int columns, int widthPx);
    static QFont scaled(QFont font, double factor);

    QCustomPlot *m_plot;
    bool m_active = false;
    std::vector<QFont> m_fonts;
    int m_legendWrap = 0;
    QString m_yLabel;
    struct TextState {
        QCPItemText *item;
        QFont font;
        double rotation;
        Qt::Alignment alignment;
    };
    std::vector<TextState> m_texts;
    struct LegendState {
        QCPLegend *legend;
        QFont font;
        int wrap;
    };
    std::vector<LegendState> m_otherLegends;
    struct ScaleState { // colour bars: their axis' fonts
        QCPAxis *axis;
        QFont tickFont;
        QFont labelFont;
    };
    std::vector<ScaleState> m_scales;
};

// While alive, the plot's legends (QCPLegend elements of its layout) are placed as asked; the
// destructor puts each back in its cell with its wrap, ground and visibility.
class LegendPlacementScope
{
public:
    LegendPlacementScope(QCustomPlot *plot, LegendPlacement placement);
    ~LegendPlacementScope();
    LegendPlacementScope(const LegendPlacementScope &) = delete;
    LegendPlacementScope &operator=(const LegendPlacementScope &) = delete;

private:
    struct Moved;
    QCustomPlot *m_plot;
    std::vector<Moved> m_moved;
};

// A plottable or item with this property true is an on-screen aid (the selection ring): exports
// leave it out, so that a figure never shows what happened to be selected.
constexpr const char *kScreenOnly = "phazeScreenOnly";

// Whether the plot draws nothing (no item, and no graph, bars or other plottable with data).
bool plotIsEmpty(QCustomPlot *plot);

void exportCustomPlotInteractively(QWidget *parent, QCustomPlot *plot, const QString &defaultName,
                                   const QString &title);

} // namespace phaze
