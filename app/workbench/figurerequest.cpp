#include "app/workbench/figurerequest.h"

#include <QRegularExpression>

#include <cmath>

namespace phaze {

using namespace Qt::StringLiterals;

std::optional<FigureRequest> parseFigureRequest(const QString &folder, const QString &size,
                                                const QString &dpi, const QString &formats,
                                                const QString &legend, QString *why)
{
    const auto fail = [why](const QString &message) {
        *why = message;
        return std::nullopt;
    };
    FigureRequest out;
    out.folder = folder;
    if (folder.isEmpty())
        return fail(u"--export-figures needs a folder"_s);
    static const QRegularExpression pattern(
        uR"(^\s*([0-9]*\.?[0-9]+)\s*[xX]\s*([0-9]*\.?[0-9]+)\s*(in|mm)?\s*$)"_s);
    const QRegularExpressionMatch m = pattern.match(size);
    if (!m.hasMatch())
        return fail(u"--size \"%1\": expected WxH in inches or millimetres, e.g. 3.5x2.6in or "
                    u"89x66mm"_s.arg(size));
    const double perInch = m.captured(3) == u"mm"_s ? 25.4 : 1.0;
    out.widthInches = m.captured(1).toDouble() / perInch;
    out.heightInches = m.captured(2).toDouble() / perInch;
    for (double side : {out.widthInches, out.heightInches})
        if (!std::isfinite(side) || side < 0.5 || side > 20.0)
            return fail(u"--size \"%1\": each side must be 0.5 to 20 in"_s.arg(size));
    bool ok = false;
    out.dpi = dpi.toInt(&ok);
    if (!ok || out.dpi < 50 || out.dpi > 2400)
        return fail(u"--dpi \"%1\": expected a whole number from 50 to 2400"_s.arg(dpi));
    for (const QString &f : formats.split(u',', Qt::SkipEmptyParts)) {
        const QString format = f.trimmed().toLower();
        if (format != u"pdf"_s && format != u"svg"_s && format != u"png"_s)
            return fail(u"--format \"%1\": %2 is not one of pdf, svg, png"_s.arg(formats, format));
        if (!out.suffixes.contains(format))
            out.suffixes << format;
    }
    if (out.suffixes.isEmpty())
        return fail(u"--format \"%1\": name at least one of pdf, svg, png"_s.arg(formats));
    const std::optional<LegendPlacement> placement = legendPlacementNamed(legend.trimmed());
    if (!placement)
        return fail(u"--legend \"%1\": expected below, inside or none"_s.arg(legend));
    out.legend = *placement;
    return out;
}

} // namespace phaze
