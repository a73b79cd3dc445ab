#pragma once

// `phaze-workbench --export-figures DIR [--size WxH(in|mm)] [--dpi N] [--format LIST]
// [--legend below|inside|none]`: the
// command-line request for the figures File > Export > All Figures writes, checked before
// anything is loaded.

#include <QString>
#include <QStringList>

#include <optional>

#include "widgets/plotexport.h"

namespace phaze {

struct FigureRequest {
    QString folder;
    double widthInches = 3.5, heightInches = 2.6;
    int dpi = 300;
    QStringList suffixes; // of pdf, svg, png
    LegendPlacement legend = LegendPlacement::Below;
};

// Nullopt with *why naming the option and the value when one is not valid: a size of
// 0.5-20 in a side ("3.5x2.6in", "89x66mm"; inches without a unit), 50-2400 dpi, formats
// among pdf, svg and png, a legend placement among below, inside and none.
std::optional<FigureRequest> parseFigureRequest(const QString &folder, const QString &size,
                                                const QString &dpi, const QString &formats,
                                                const QString &legend, QString *why);

} // namespace phaze
