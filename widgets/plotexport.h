#pragma once

// Writing a QCustomPlot to PNG, PDF or SVG (by suffix), shared by every plot,
// and the layout of the timeline plots. QCustomPlot is only forward-declared so that this header
// stays cheap.

#include <QString>

class QCustomPlot;
class QWidget;

namespace phaze {

// Writes the plot at widthPx x heightPx; PNG pixels are multiplied by scale (2 for a 2x image of
// the same layout). Returns "" or the error.
QString exportCustomPlot(QCustomPlot *plot, const QString &path, int widthPx, int heightPx,
                         double scale = 1.0, const QString &title = {});
// Asks for a file name (suggesting defaultName) and writes the on-screen layout; reports a
// failure in a message box.
// The layout shared by the timeline plots (operator Gantt, pipeline): rows fixed and reversed
// (first row on top), zoom and drag along time only, paper-legible fonts, the legend in a row
// under the axes wrapping after `legendColumns` entries.
void styleTimelinePlot(QCustomPlot *plot, const QString &timeLabel, int legendColumns);

// Whether the plot draws nothing (no item, and no graph, bars or other plottable with data).
bool plotIsEmpty(QCustomPlot *plot);

void exportCustomPlotInteractively(QWidget *parent, QCustomPlot *plot, const QString &defaultName,
                                   const QString &title);

} // namespace phaze
