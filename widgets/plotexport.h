#pragma once

// Writing a QCustomPlot to PNG, PDF or SVG (by suffix), shared by every plot,
// and the layout of the timeline plots. QCustomPlot is only forward-declared so that this header
// stays cheap.

#include <QString>

class QCPAxis;
class QCustomPlot;
class QWidget;

namespace phaze {

// Writes the plot at widthPx x heightPx; PNG pixels are multiplied by scale (2 for a 2x image of
// the same layout). Returns "" or the error.
QString exportCustomPlot(QCustomPlot *plot, const QString &path, int widthPx, int heightPx,
                         double scale = 1.0, const QString &title = {});
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
// A category axis under bars: no grid lines between the categories, no sub-ticks, short ticks.
void styleCategoryAxis(QCPAxis *axis);
// The layout shared by the timeline plots (operator Gantt, pipeline): rows fixed and reversed
// (first row on top), zoom and drag along time only, paper-legible fonts, the legend in a row
// under the axes wrapping after `legendColumns` entries.
void styleTimelinePlot(QCustomPlot *plot, const QString &timeLabel, int legendColumns);

// Whether the plot draws nothing (no item, and no graph, bars or other plottable with data).
bool plotIsEmpty(QCustomPlot *plot);

void exportCustomPlotInteractively(QWidget *parent, QCustomPlot *plot, const QString &defaultName,
                                   const QString &title);

} // namespace phaze
