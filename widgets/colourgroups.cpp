#include "widgets/colourgroups.h"

#include <QObject>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

constexpr double kMiB = 1024.0 * 1024;
constexpr double kGiB = 1024.0 * kMiB;

// A value to sort by (the array's MAC count first, then its width) and its legend name.
using Key = std::pair<double, double>;

const ModelOutcome *firstModel(const Evaluation &e)
{
    return e.models.empty() ? nullptr : &e.models.front();
}

Key keyOf(const Evaluation &e, ColourBy by)
{
    const AcceleratorConfig &c = e.config;
    const ModelOutcome *m = firstModel(e);
    switch (by) {
    case ColourBy::None:
        return {0, 0};
    case ColourBy::TcCount:
        return {c.numTc, 0};
    case ColourBy::TcArray:
        return {double(c.tcWidth) * c.tcDepth, c.tcWidth};
    case ColourBy::VcCount:
        return {c.numVc, 0};
    case ColourBy::GlbSize:
        return {c.glbBytes, 0};
    case ColourBy::HbmSize:
        return {c.hbmBytes, 0};
    case ColourBy::TensorParallel:
        return {m ? m->tensorParallel : -1, 0};
    case ColourBy::PipelineStages:
        return {m ? m->pipelineStages : -1, 0};
    case ColourBy::DataParallel:
        return {m ? m->dataParallel : -1, 0};
    }
    return {0, 0};
}

// The value alone ("128×64"); the legend puts shortName() before it.
QString valueOf(const Evaluation &e, ColourBy by)
{
    const AcceleratorConfig &c = e.config;
    const ModelOutcome *m = firstModel(e);
    const auto placement = [m](int ModelOutcome::*field) {
        return m ? QString::number(m->*field) : QObject::tr("n/a");
    };
    switch (by) {
    case ColourBy::None:
        return {};
    case ColourBy::TcCount:
        return QString::number(c.numTc);
    case ColourBy::TcArray:
        return u"%1×%2"_s.arg(c.tcWidth).arg(c.tcDepth);
    case ColourBy::VcCount:
        return QString::number(c.numVc);
    case ColourBy::GlbSize:
        return QObject::tr("%1 MiB").arg(QString::number(c.glbBytes / kMiB, 'g', 4));
    case ColourBy::HbmSize:
        return QObject::tr("%1 GiB").arg(QString::number(c.hbmBytes / kGiB, 'g', 4));
    case ColourBy::TensorParallel:
        return placement(&ModelOutcome::tensorParallel);
    case ColourBy::PipelineStages:
        return placement(&ModelOutcome::pipelineStages);
    case ColourBy::DataParallel:
        return placement(&ModelOutcome::dataParallel);
    }
    return {};
}

// The legend's short name of a parameter, before its value.
QString shortName(ColourBy by)
{
    switch (by) {
    case ColourBy::None:
        return {};
    case ColourBy::TcCount:
        return QObject::tr("TC count");
    case ColourBy::TcArray:
        return QObject::tr("TC array");
    case ColourBy::VcCount:
        return QObject::tr("VC count");
    case ColourBy::GlbSize:
        return QObject::tr("GLB");
    case ColourBy::HbmSize:
        return QObject::tr("HBM");
    case ColourBy::TensorParallel:
        return u"tp"_s;
    case ColourBy::PipelineStages:
        return u"pp"_s;
    case ColourBy::DataParallel:
        return u"dp"_s;
    }
    return {};
}

// Every ColourBy in the combo box's order (the enum's), with its command-line key and title.
struct ColourByName {
    ColourBy by;
    const char *key;
    const char *title; // translated where shown
};
constexpr std::array<ColourByName, 9> kColourByNames = {{
    {ColourBy::None, "none", QT_TRANSLATE_NOOP("QObject", "None")},
    {ColourBy::TcCount, "tc_count", QT_TRANSLATE_NOOP("QObject", "TC count")},
    {ColourBy::TcArray, "tc_array", QT_TRANSLATE_NOOP("QObject", "TC array (width × depth)")},
    {ColourBy::VcCount, "vc_count", QT_TRANSLATE_NOOP("QObject", "VC count")},
    {ColourBy::GlbSize, "glb_size", QT_TRANSLATE_NOOP("QObject", "GLB size")},
    {ColourBy::HbmSize, "hbm_size", QT_TRANSLATE_NOOP("QObject", "HBM size")},
    {ColourBy::TensorParallel, "tp", QT_TRANSLATE_NOOP("QObject", "Tensor parallel (tp)")},
    {ColourBy::PipelineStages, "pp", QT_TRANSLATE_NOOP("QObject", "Pipeline stages (pp)")},
    {ColourBy::DataParallel, "dp", QT_TRANSLATE_NOOP("QObject", "Data parallel (dp)")},
}};

constexpr bool inEnumOrder()
{
    for (std::size_t i = 0; i < kColourByNames.size(); ++i)
        if (std::size_t(kColourByNames[i].by) != i)
            return false;
    return true;
}
static_assert(inEnumOrder() && kColourByNames.back().by == ColourBy::DataParallel,
              "one entry per ColourBy, in the enum's order");

const ColourByName &nameOf(ColourBy by)
{
    return kColourByNames[std::size_t(by)];
}

} // namespace

const std::vector<ColourBy> &allColourBy()
{
    static const std::vector<ColourBy> all = [] {
        std::vector<ColourBy> out;
        for (const ColourByName &n : kColourByNames)
            out.push_back(n.by);
        return out;
    }();
    return all;
}

QString colourValue(const Evaluation &evaluation, ColourBy by)
{
    return valueOf(evaluation, by);
}

QString colourByTitle(ColourBy by)
{
    return QObject::tr(nameOf(by).title);
}

QString colourByKey(ColourBy by)
{
    return QString::fromUtf8(nameOf(by).key);
}

std::optional<ColourBy> colourByFromKey(const QString &key)
{
    for (ColourBy by : allColourBy())
        if (colourByKey(by) == key.toLower())
            return by;
    return std::nullopt;
}

QStringList colourByKeys()
{
    QStringList keys;
    for (ColourBy by : allColourBy())
        keys << colourByKey(by);
    return keys;
}

std::vector<ColourGroup> colourGroups(const std::vector<Evaluation> &evaluations,
                                      const std::vector<std::size_t> &rows, ColourBy by)
{
    if (by == ColourBy::None)
        return {};
    std::map<Key, ColourGroup> byKey; // ordered by value
    for (std::size_t row : rows) {
        const Evaluation &e = evaluations[row];
        ColourGroup &g = byKey[keyOf(e, by)];
        if (g.rows.empty()) {
            g.value = valueOf(e, by);
            g.name = shortName(by) + u' ' + g.value;
        }
        g.rows.push_back(row);
    }
    std::vector<ColourGroup> groups;
    groups.reserve(byKey.size());
    for (auto &entry : byKey)
        groups.push_back(std::move(entry.second));
    for (std::size_t i = 0; i < groups.size(); ++i)
        groups[i].colour = groupColour(int(i), int(groups.size()));
    return groups;
}

QColor groupColour(int index, int count)
{
    // Paul Tol's "muted" scheme in his order, distinct for colour-blind readers; its remaining
    // purple is left out (close to the purple baseline), orange is the front's.
    static const std::array<QColor, kQualitativeColours> muted = {
        QColor(0xCC, 0x66, 0x77), QColor(0x33, 0x22, 0x88), QColor(0xDD, 0xCC, 0x77),
        QColor(0x11, 0x77, 0x33), QColor(0x88, 0xCC, 0xEE), QColor(0x88, 0x22, 0x55),
        QColor(0x44, 0xAA, 0x99), QColor(0x99, 0x99, 0x33)};
    if (!usesRamp(std::size_t(std::max(count, 0))))
        return muted[std::size_t(std::clamp(index, 0, kQualitativeColours - 1))];
    return rampColour(std::clamp(index, 0, count - 1) / double(count - 1));
}

QColor rampColour(double t)
{
    // Viridis, perceptually uniform and colour-blind safe; its last tenth (pale yellow) is left
    // out, it vanishes on white.
    static const std::array<QColor, 10> viridis = {
        QColor(0x44, 0x01, 0x54), QColor(0x48, 0x28, 0x78), QColor(0x3E, 0x4A, 0x89),
        QColor(0x31, 0x68, 0x8E), QColor(0x26, 0x82, 0x8E), QColor(0x1F, 0x9E, 0x89),
        QColor(0x35, 0xB7, 0x79), QColor(0x6D, 0xCD, 0x59), QColor(0xB4, 0xDE, 0x2C),
        QColor(0xFD, 0xE7, 0x25)};
    const double at = std::clamp(t, 0.0, 1.0) * kRampAnchorSpan;
    const int i = std::min(8, int(std::floor(at)));
    const double f = at - i;
    const QColor &a = viridis[std::size_t(i)], &b = viridis[std::size_t(i) + 1];
    return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())),
                            float(a.greenF() + f * (b.greenF() - a.greenF())),
                            float(a.blueF() + f * (b.blueF() - a.blueF())));
}

} // namespace phaze
