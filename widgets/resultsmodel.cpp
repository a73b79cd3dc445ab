#include "widgets/resultsmodel.h"

#include <QBrush>
#include <QColor>
#include <QStringList>

#include "core/search/searchtypes.h"
#include "widgets/resultstore.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;
constexpr double kMiB = 1024.0 * 1024;

// Joins one per-model value over the models ("2; 4" for two models).
template <typename F> QString perModel(const Evaluation &e, F &&text)
{
    QStringList parts;
    for (const ModelOutcome &m : e.models)
        parts << text(m);
    return parts.join(u"; "_s);
}

double maxMemory(const Evaluation &e)
{
    double memory = 0.0;
    for (const ModelOutcome &m : e.models)
        memory = std::max(memory, m.memoryPerDevice);
    return memory;
}

} // namespace

ResultsModel::ResultsModel(ResultStore *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store), m_rows(int(store->evaluations().size()))
{
    connect(store, &ResultStore::evaluationAdded, this, [this](int row) {
        beginInsertRows({}, row, row);
        m_rows = row + 1;
        endInsertRows();
    });
    connect(store, &ResultStore::resultsReset, this, [this] {
        beginResetModel();
        m_rows = int(m_store->evaluations().size());
        endResetModel();
    });
}

int ResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {"Candidate",
                                                   "Status",
                                                   "Throughput (samples/s)",
                                                   "Area (mm²)",
                                                   "TCs",
                                                   "TC width x depth",
                                                   "VCs",
                                                   "GLB",
                                                   "HBM",
                                                   "d/p/t",
                                                   "Microbatch",
                                                   "Recomputation",
                                                   "Memory/device",
                                                   "Energy/sample (J)",
                                                   "Power at peak (W)"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QVariant ResultsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows)
        return {};
    const Evaluation &e = m_store->evaluations()[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(e, index.column());
    case kSortRole:
        return sortValue(e, index.column());
    case Qt::ToolTipRole:
        return describe(e);
    case Qt::TextAlignmentRole:
        return index.column() == StatusColumn || index.column() == Strategy
                   ? QVariant()
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        return e.feasible() ? QVariant() : QVariant(QBrush(QColor(150, 150, 150)));
    default:
        return {};
    }
}

QVariant ResultsModel::display(const Evaluation &e, int column) const
{
    const AcceleratorConfig &c = e.config;
    switch (column) {
    case Candidate:
        return qulonglong(e.candidate);
    case StatusColumn:
        return QString::fromUtf8(statusName(e.status).data(),
                                 qsizetype(statusName(e.status).size()));
    case Throughput:
        return e.feasible() ? QString::number(e.throughput, 'f', 2) : u"-"_s;
    case Area:
        return QString::number(e.areaMm2, 'f', 1);
    case Tcs:
        return c.numTc;
    case TcShape:
        return u"%1 x %2"_s.arg(c.tcWidth).arg(c.tcDepth);
    case Vcs:
        return u"%1 x %2"_s.arg(c.numVc).arg(c.vcWidth);
    case Glb:
        return u"%1 MiB"_s.arg(c.glbBytes / kMiB);
    case Hbm:
        return u"%1 GiB"_s.arg(c.hbmBytes / kGiB);
    case Strategy:
        return perModel(e, [](const ModelOutcome &m) {
            return u"%1/%2/%3"_s.arg(m.dataParallel).arg(m.pipelineStages).arg(m.tensorParallel);
        });
    case Microbatch:
        return perModel(e, [](const ModelOutcome &m) { return QString::number(m.microbatch); });
    case Recomputation:
        return perModel(e,
                        [](const ModelOutcome &m) { return m.recomputation ? u"on"_s : u"off"_s; });
    case MemoryPerDevice:
        return e.feasible() ? u"%1 GiB"_s.arg(maxMemory(e) / kGiB, 0, 'f', 2) : u"-"_s;
    case EnergyPerSample:
        return e.feasible() ? QString::number(e.energyPerSample, 'g', 4) : u"-"_s;
    case PeakPower:
        return QString::number(e.peakPowerW, 'f', 1);
    default:
        return {};
    }
}

QVariant ResultsModel::sortValue(const Evaluation &e, int column) const
{
    const AcceleratorConfig &c = e.config;
    switch (column) {
    case Candidate:
        return qulonglong(e.candidate);
    case Throughput:
        return e.feasible() ? e.throughput : -1.0; // infeasible rows sort below every real one
    case Area:
        return e.areaMm2;
    case Tcs:
        return c.numTc;
    case TcShape:
        return double(c.tcWidth) * c.tcDepth;
    case Vcs:
        return double(c.numVc) * c.vcWidth;
    case Glb:
        return c.glbBytes;
    case Hbm:
        return c.hbmBytes;
    case Microbatch:
        return e.models.empty() ? 0 : e.models.front().microbatch;
    case MemoryPerDevice:
        return maxMemory(e);
    case EnergyPerSample:
        return e.energyPerSample;
    case PeakPower:
        return e.peakPowerW;
    default:
        return display(e, column);
    }
}

QString ResultsModel::describe(const Evaluation &e)
{
    const AcceleratorConfig &c = e.config;
    QString text = tr("Candidate %1: %2 TCs of %3x%4, %5 VCs of %6 lanes\n"
                      "GLB %7 MiB, HBM %8 GiB, area %9 mm²")
                       .arg(e.candidate)
                       .arg(c.numTc)
                       .arg(c.tcWidth)
                       .arg(c.tcDepth)
                       .arg(c.numVc)
                       .arg(c.vcWidth)
                       .arg(c.glbBytes / kMiB)
                       .arg(c.hbmBytes / kGiB)
                       .arg(e.areaMm2, 0, 'f', 1);
    if (e.peakPowerW > 0.0) // results written before the power model have none
        text += tr(", %1 W at peak").arg(e.peakPowerW, 0, 'f', 1);
    if (!e.feasible())
        return text + u'\n' + QString::fromStdString(e.message);
    text += tr("\nThroughput %1 samples/s, energy %2 J/sample")
                .arg(e.throughput, 0, 'f', 2)
                .arg(e.energyPerSample, 0, 'g', 4);
    for (const ModelOutcome &m : e.models)
        text += tr("\n%1: d=%2 p=%3 t=%4, microbatch %5, recomputation %6, %7 GiB/device")
                    .arg(QString::fromStdString(m.model))
                    .arg(m.dataParallel)
                    .arg(m.pipelineStages)
                    .arg(m.tensorParallel)
                    .arg(m.microbatch)
                    .arg(m.recomputation ? tr("on") : tr("off"))
                    .arg(m.memoryPerDevice / kGiB, 0, 'f', 2);
    return text;
}

} // namespace phaze
