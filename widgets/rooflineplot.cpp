#include "widgets/rooflineplot.h"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include <qcustomplot.h>

#include "widgets/plotexport.h"

namespace phaze {

using namespace Qt::StringLiterals;

namespace {

const QColor kTensorColor(0, 114, 178);
const QColor kFusedColor(0, 158, 115);
const QColor kVectorColor(230, 159, 0);
const QColor kRoofColor(80, 80, 80);

QCPGraph *pointGraph(QCustomPlot *plot, const QString &name, const QColor &color,
                     QCPScatterStyle::ScatterShape shape)
{
    QCPGraph *g = plot->addGraph();
    g->setName(name);
    g->setLineStyle(QCPGraph::lsNone);
    g->setScatterStyle(QCPScatterStyle(shape, color, color.lighter(150), 7));
    return g;
}

// A roof over [lo, hi] on log axes: the bandwidth slope up to the ridge, then the flat peak.
void drawRoof(QCustomPlot *plot, const QString &name, double peak, double bandwidth, double lo,
              double hi, Qt::PenStyle style)
{
    QCPGraph *g = plot->addGraph();
    g->setName(name);
    g->setPen(QPen(kRoofColor, 1.6, style));
    const double ridge = bandwidth > 0.0 ? peak / bandwidth : lo;
    QVector<double> x, y;
    if (ridge > lo) {
        x << lo << std::min(ridge, hi);
        y << bandwidth * lo << bandwidth * std::min(ridge, hi);
    }
    if (ridge < hi) {
        x << std::max(ridge, lo) << hi;
        y << peak << peak;
    }
    g->setData(x, y, true);
}

} // namespace

double RooflineRoofs::attainable(CoreClass core, double intensity) const
{
    const double peak = core == CoreClass::VC ? vectorPeak : tensorPeak;
    return std::min(peak, hbmBandwidth * intensity);
}

RooflinePlot::RooflinePlot(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_note(new QLabel(this))
{
    setObjectName("rooflinePlot");
    m_plot->setObjectName("rooflineCustomPlot");
    m_plot->setMinimumSize(160, 120);
    m_note->setObjectName("rooflineNote");
    m_note->setWordWrap(true);
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // never widens the tab
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_plot, 1);
    stylePaperPlot(m_plot, kPaperTickPt, kPaperLabelPt, 3);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        auto ticker = QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog);
        axis->setTicker(ticker);
        axis->setNumberFormat(u"eb"_s);
        axis->setNumberPrecision(0);
    }
    m_plot->xAxis->setLabel(tr("Arithmetic intensity (FLOP/byte of HBM traffic)"));
    m_plot->yAxis->setLabel(tr("Achieved (FLOP/s)"));
    clear();
}

void RooflinePlot::clear()
{
    m_drawn.clear();
    m_leftOut = 0;
    m_plot->clearGraphs();
    m_plot->legend->setVisible(false);
    m_note->clear();
    m_plot->replot();
}

void RooflinePlot::setPoints(std::vector<RooflinePoint> points, const RooflineRoofs &roofs)
{
    clear();
    for (RooflinePoint &p : points) {
        if (p.drawable())
            m_drawn.push_back(std::move(p));
        else
            ++m_leftOut;
    }
    double lo = 1e300, hi = 0.0, top = std::max(roofs.tensorPeak, roofs.vectorPeak), bottom = top;
    for (const RooflinePoint &p : m_drawn) {
        lo = std::min(lo, p.intensity());
        hi = std::max(hi, p.intensity());
        bottom = std::min(bottom, p.achieved());
    }
    if (m_drawn.empty()) {
        lo = 0.1;
        hi = 1e4;
    }
    // A decade of room on either side, and the ridge points in view.
    lo = std::min(lo, roofs.vectorPeak / std::max(roofs.hbmBandwidth, 1.0)) / 4.0;
    hi = std::max(hi, roofs.tensorPeak / std::max(roofs.hbmBandwidth, 1.0)) * 4.0;
    bottom = std::min(bottom, roofs.hbmBandwidth * lo) / 2.0;
    drawRoof(m_plot, tr("Tensor-core roof"), roofs.tensorPeak, roofs.hbmBandwidth, lo, hi,
             Qt::SolidLine);
    drawRoof(m_plot, tr("Vector-core roof"), roofs.vectorPeak, roofs.hbmBandwidth, lo, hi,
             Qt::DashLine);
    QCPGraph *tensor = pointGraph(m_plot, tr("GEMM (TC)"), kTensorColor, QCPScatterStyle::ssCircle);
    QCPGraph *fused =
        pointGraph(m_plot, tr("GEMM + element-wise (TC+VC)"), kFusedColor, QCPScatterStyle::ssDiamond);
    QCPGraph *vector = pointGraph(m_plot, tr("Element-wise (VC)"), kVectorColor,
                                  QCPScatterStyle::ssTriangle);
    for (const RooflinePoint &p : m_drawn) {
        QCPGraph *g = p.core == CoreClass::TC     ? tensor
                      : p.core == CoreClass::TCVC ? fused
                                                  : vector;
        g->addData(p.intensity(), p.achieved());
    }
    for (QCPGraph *g : {tensor, fused, vector})
        if (g->dataCount() == 0)
            g->removeFromLegend();
    m_plot->legend->setVisible(true);
    m_plot->xAxis->setRange(lo, hi);
    m_plot->yAxis->setRange(bottom, top * 2.0);
    m_note->setText(noteText());
    m_plot->replot();
}

QString RooflinePlot::noteText() const
{
    QString text = tr("%n operator(s), each spread over the whole chip, alone (the cost model's "
                      "intra-operator latency).", "", int(m_drawn.size()));
    if (m_leftOut > 0)
        text += u' ' + tr("%n without FLOPs or HBM traffic (collectives, views) left out.", "",
                          m_leftOut);
    return text;
}

} // namespace phaze
