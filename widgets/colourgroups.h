#pragma once

// Colouring the Explore plot's points by one parameter of their configuration: which parameters
// can colour, the groups of rows sharing a value (in value order) with their legend names, and
// the colours. A few values get a qualitative colour-blind-safe palette (Paul Tol's "muted"),
// more get a sequential ramp (viridis) in value order, where neighbouring values look alike on
// purpose. No QCustomPlot here: the plot draws one graph per group.

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

struct ColourGroup {
    QString name; // legend entry: "TC count 4", "TC array 128×64", "GLB 32 MiB", "tp 2"
    QColor colour;
    std::vector<std::size_t> rows; // rows of evaluations, in the order given
};

// The rows grouped by their value of `by`, groups in ascending value order, each with its colour.
// Empty for ColourBy::None.
std::vector<ColourGroup> colourGroups(const std::vector<Evaluation> &evaluations,
                                      const std::vector<std::size_t> &rows, ColourBy by);

// More distinct values than this get the sequential ramp instead of the qualitative palette.
constexpr int kQualitativeColours = 8;
// Colour of group `index` of `count` groups.
QColor groupColour(int index, int count);

} // namespace phaze
