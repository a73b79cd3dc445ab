#pragma once

// Colouring the Explore plot's points by one parameter of their configuration: which parameters
// can colour, the groups of rows sharing a value (in value order) with their legend names, and
// the colours. A few values get a qualitative colour-blind-safe palette (Paul Tol's "muted") and a
// legend entry each; more get a sequential ramp (viridis) in value order, where neighbouring
// values look alike on purpose, shown as a colour bar labelled with the values (a legend of 50
// entries hid the plot). No QCustomPlot here: the plot draws one graph per group.

#include <QColor>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <optional>
#include <vector>

#include "core/evaluation/evaluationtypes.h"

namespace phaze {

enum class ColourBy {
    None,
    TcCount,
    TcArray, // tc_width x tc_depth
    VcCount,
    GlbSize,
    HbmSize,
    // The best placement of the first model (ModelOutcome of Evaluation::models.front()).
    TensorParallel,
    PipelineStages,
    DataParallel,
};

// Every ColourBy, in the order the combo box lists them.
const std::vector<ColourBy> &allColourBy();
// The combo box's text ("TC count"), and the command-line key ("tc_count").
QString colourByTitle(ColourBy by);
QString colourByKey(ColourBy by);
std::optional<ColourBy> colourByFromKey(const QString &key);
QStringList colourByKeys();

// One evaluation's value of `by`, as the colour bar writes it ("128×64", "32 MiB"); empty for
// ColourBy::None (the Explore tooltip says what a point is coloured by).
QString colourValue(const Evaluation &evaluation, ColourBy by);

struct ColourGroup {
    QString name;  // legend entry: "TC count 4", "TC array 128×64", "GLB 32 MiB", "tp 2"
    QString value; // the value alone, for the colour bar: "4", "128×64", "32 MiB", "2"
    QColor colour;
    std::vector<std::size_t> rows; // rows of evaluations, in the order given
};

// The rows grouped by their value of `by`, groups in ascending value order, each with its colour.
// Empty for ColourBy::None.
std::vector<ColourGroup> colourGroups(const std::vector<Evaluation> &evaluations,
                                      const std::vector<std::size_t> &rows, ColourBy by);

// More distinct values than this get the sequential ramp instead of the qualitative palette.
constexpr int kQualitativeColours = 8;
inline bool usesRamp(std::size_t groups)
{
    return groups > std::size_t(kQualitativeColours);
}
// Colour of group `index` of `count` groups: the palette's, or rampColour(index / (count - 1)).
QColor groupColour(int index, int count);
// The sequential ramp at t in [0, 1]: viridis, linear in RGB between its anchors, which lie at
// t = k / kRampAnchorSpan (k = 0..9; t = 1 stops short of viridis' pale yellow end).
constexpr double kRampAnchorSpan = 8.1;
QColor rampColour(double t);

} // namespace phaze
