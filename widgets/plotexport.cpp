#include "widgets/plotexport.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <QFileInfo>
#include <QMessageBox>
#include <QObject>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <qcustomplot.h>

#include "widgets/exportdialog.h"

namespace phaze {

using namespace Qt::StringLiterals;

NarrowExport::NarrowExport(QCustomPlot *plot, int widthPx) : m_plot(plot)
{
    constexpr double kFullWidthPx = 5.25 * FigureSize::kLayoutPixelsPerInch;
    const double factor = std::min(1.0, widthPx / kFullWidthPx);
    if (factor >= 1.0)
        return;
    m_active = true;
    for (QCPAxis *a : {plot->xAxis, plot->yAxis}) {
        m_fonts.push_back(a->tickLabelFont());
        m_fonts.push_back(a->labelFont());
        a->setTickLabelFont(scaled(a->tickLabelFont(), factor));
        a->setLabelFont(scaled(a->labelFont(), factor));
    }
    m_fonts.push_back(plot->legend->font());
    plot->legend->setFont(scaled(plot->legend->font(), factor));
    m_legendWrap = plot->legend->wrap();
    fitLegend(plot->legend, m_legendWrap, widthPx);
    for (QCPLayoutElement *e : plot->plotLayout()->elements(true)) {
        if (auto *legend = qobject_cast<QCPLegend *>(e); legend && legend != plot->legend) {
            m_otherLegends.push_back({legend, legend->font(), legend->wrap()});
            legend->setFont(scaled(legend->font(), factor));
            fitLegend(legend, legend->wrap(), widthPx);
        }
        if (auto *scale = qobject_cast<QCPColorScale *>(e)) {
            QCPAxis *a = scale->axis();
            m_scales.push_back({a, a->tickLabelFont(), a->labelFont()});
            a->setTickLabelFont(scaled(a->tickLabelFont(), factor));
            a->setLabelFont(scaled(a->labelFont(), factor));
        }
    }
    // The y label's unit on a line of its own: a one-column figure's axis is too short for
    // "Throughput (samples/s)" once the legend below takes its rows.
    m_yLabel = plot->yAxis->label();
    if (!m_yLabel.contains(u'\n'))
        plot->yAxis->setLabel(QString(m_yLabel).replace(u" ("_s, u"\n("_s));
    // Text items: bar values, labels on timeline blocks. Values over narrow bars stand upright,
    // so that the values of neighbouring bars do not run into each other.
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto *text = qobject_cast<QCPItemText *>(plot->item(i))) {
            m_texts.push_back({text, text->font(), text->rotation(), text->positionAlignment()});
            text->setFont(scaled(text->font(), factor));
            if (text->property(kUprightWhenNarrow).toBool()) {
                text->setRotation(-90);
                text->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            }
        }
}

NarrowExport::~NarrowExport()
{
    if (!m_active)
        return;
    std::size_t i = 0;
    for (QCPAxis *a : {m_plot->xAxis, m_plot->yAxis}) {
        a->setTickLabelFont(m_fonts[i++]);
        a->setLabelFont(m_fonts[i++]);
    }
    m_plot->legend->setFont(m_fonts[i]);
    m_plot->yAxis->setLabel(m_yLabel);
    m_plot->legend->setWrap(m_legendWrap);
    m_plot->legend->setFillOrder(m_plot->legend->fillOrder(), true); // rearranged to the wrap
    for (const ScaleState &s : m_scales) {
        s.axis->setTickLabelFont(s.tickFont);
        s.axis->setLabelFont(s.labelFont);
    }
    for (const LegendState &l : m_otherLegends) {
        l.legend->setFont(l.font);
        l.legend->setWrap(l.wrap);
        l.legend->setFillOrder(l.legend->fillOrder(), true);
    }
    for (const TextState &t : m_texts) {
        t.item->setFont(t.font);
        t.item->setRotation(t.rotation);
        t.item->setPositionAlignment(t.alignment);
    }
}

// Fewer legend columns when the entries, in the export's font, would not fit side by side in the
// figure's width (their names were cut: "tpuv4 + fixed strateg").
void NarrowExport::fitLegend(QCPLegend *legend, int columns, int widthPx)
{
    int widest = 0; // an entry's own size: icon, padding, its name in the legend's font
    for (int i = 0; i < legend->itemCount(); ++i) // the count is of cells, some empty
        if (const QCPLayoutElement *item = legend->item(i))
            widest = std::max(widest, item->minimumOuterSizeHint().width());
    const QMargins m = legend->margins();
    const auto width = [&](int n) {
        return n * widest + (n - 1) * legend->columnSpacing() + m.left() + m.right();
    };
    columns = std::max(1, columns);
    while (columns > 1 && width(columns) > widthPx)
        --columns;
    legend->setWrap(columns);
    legend->setFillOrder(legend->fillOrder(), true); // setWrap alone leaves them where they are
}

QFont NarrowExport::scaled(QFont font, double factor)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(std::max(7.0, font.pointSizeF() * factor));
    return font;
}

namespace {

// Hides the kScreenOnly plottables and items while alive.
class ScreenOnlyHidden
{
public:
    explicit ScreenOnlyHidden(QCustomPlot *plot)
    {
        for (int i = 0; i < plot->plottableCount(); ++i)
            hide(plot->plottable(i));
        for (int i = 0; i < plot->itemCount(); ++i)
            hide(plot->item(i));
    }
    ~ScreenOnlyHidden()
    {
        for (QCPLayerable *l : m_hidden)
            l->setVisible(true);
    }
    ScreenOnlyHidden(const ScreenOnlyHidden &) = delete;
    ScreenOnlyHidden &operator=(const ScreenOnlyHidden &) = delete;

private:
    void hide(QCPLayerable *l)
    {
        if (l->visible() && l->property(kScreenOnly).toBool()) {
            l->setVisible(false);
            m_hidden.push_back(l);
        }
    }
    std::vector<QCPLayerable *> m_hidden;
};

} // namespace

std::optional<LegendPlacement> legendPlacementNamed(const QString &name)
{
    for (LegendPlacement p : {LegendPlacement::Below, LegendPlacement::Inside, LegendPlacement::None})
        if (name == legendPlacementName(p))
            return p;
    return std::nullopt;
}

QString legendPlacementName(LegendPlacement placement)
{
    switch (placement) {
    case LegendPlacement::Below:
        return u"below"_s;
    case LegendPlacement::Inside:
        return u"inside"_s;
    case LegendPlacement::None:
        return u"none"_s;
    }
    return {};
}

struct LegendPlacementScope::Moved {
    QCPLegend *legend;
    QCPLayoutGrid *grid; // the cell it came from
    int row, column;
    int wrap;
    QCPLayoutGrid::FillOrder order;
    QBrush brush;
    QPen border;
    bool visible;
};

LegendPlacementScope::LegendPlacementScope(QCustomPlot *plot, LegendPlacement placement)
    : m_plot(plot)
{
    if (placement == LegendPlacement::Below)
        return;
    std::vector<QCPLegend *> legends;
    for (QCPLayoutElement *e : plot->plotLayout()->elements(true))
        if (auto *legend = qobject_cast<QCPLegend *>(e))
            legends.push_back(legend);
    int stacked = 0; // legends already placed in the corner, the first on top
    for (QCPLegend *legend : legends) {
        auto *grid = qobject_cast<QCPLayoutGrid *>(legend->layout());
        if (!grid) { // already inside the axes (QCustomPlot's default)
            if (placement == LegendPlacement::None && legend->visible()) {
                legend->setVisible(false);
                m_moved.push_back({legend, nullptr, 0, 0, legend->wrap(), legend->fillOrder(),
                                   legend->brush(), legend->borderPen(), true});
            }
            continue;
        }
        int row = 0, column = 0;
        for (int i = 0; i < grid->elementCount(); ++i)
            if (grid->elementAt(i) == legend)
                grid->indexToRowCol(i, row, column);
        m_moved.push_back({legend, grid, row, column, legend->wrap(), legend->fillOrder(),
                           legend->brush(), legend->borderPen(), legend->visible()});
        // Out of its row, so that the axes take the row's room: the plots give a legend's row
        // a small stretch (stylePaperPlot), which is all an empty row keeps. The row stays, so
        // that the legend goes back to the same cell with the same stretch.
        grid->take(legend);
        if (placement == LegendPlacement::None) {
            legend->setVisible(false);
            continue;
        }
        const Qt::Alignment corner =
            stacked++ == 0 ? Qt::AlignTop | Qt::AlignRight : Qt::AlignBottom | Qt::AlignRight;
        plot->axisRect()->insetLayout()->addElement(legend, corner);
        legend->setWrap(0); // one column: rows first, never wrapping
        legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
        legend->setBrush(QColor(255, 255, 255, 230)); // the data under it stays faintly visible
        legend->setBorderPen(QPen(QColor(170, 170, 170)));
    }
}

LegendPlacementScope::~LegendPlacementScope()
{
    for (auto it = m_moved.rbegin(); it != m_moved.rend(); ++it) {
        QCPLegend *legend = it->legend;
        legend->setVisible(it->visible);
        if (!it->grid)
            continue;
        if (legend->layout())
            legend->layout()->take(legend);
        it->grid->addElement(it->row, it->column, legend);
        legend->setWrap(it->wrap);
        legend->setFillOrder(it->order, true);
        legend->setBrush(it->brush);
        legend->setBorderPen(it->border);
    }
}

QString exportCustomPlot(QCustomPlot *plot, const QString &path, int widthPx, int heightPx,
                         double scale, const QString &title, LegendPlacement legend)
{
    const ScreenOnlyHidden screenOnly(plot);
    const NarrowExport narrow(plot, widthPx);
    const LegendPlacementScope placement(plot, legend); // after the narrow layout's legend fit
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == u"png"_s) {
        ok = plot->savePng(path, widthPx, heightPx, scale);
    } else if (suffix == u"pdf"_s) {
        // Not QCustomPlot::savePdf: it makes the page widthPx x heightPx *points*, 4/3 of the
        // size asked for, and its text metrics then differ from the layout's (labels clipped).
        // The page is the layout at kLayoutPixelsPerInch, drawn at that resolution, so that the
        // figure is the requested physical size and lays out exactly as on screen.
        const double pointsPerPixel = 72.0 / FigureSize::kLayoutPixelsPerInch;
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QSizeF(widthPx * pointsPerPixel, heightPx * pointsPerPixel),
                                     QPageSize::Point, QString(), QPageSize::ExactMatch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setResolution(int(FigureSize::kLayoutPixelsPerInch));
        writer.setTitle(title);
        writer.setCreator(u"Phaze Workbench"_s);
        QCPPainter painter;
        ok = painter.begin(&writer);
        if (ok) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            plot->toPainter(&painter, widthPx, heightPx);
            ok = painter.end();
        }
    } else if (suffix == u"svg"_s) {
        // QCustomPlot has no SVG writer of its own; its painter path draws into QSvgGenerator,
        // at the layout's resolution so that the SVG's width and height are the physical size.
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(QSize(widthPx, heightPx));
        generator.setViewBox(QRect(0, 0, widthPx, heightPx));
        generator.setResolution(int(FigureSize::kLayoutPixelsPerInch));
        generator.setTitle(title);
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            plot->toPainter(&painter, widthPx, heightPx);
            ok = painter.end();
        }
    } else {
        return QObject::tr("Unknown plot format \"%1\" (use .png, .pdf or .svg)").arg(suffix);
    }
    return ok ? QString() : QObject::tr("Cannot write %1").arg(path);
}

bool plotIsEmpty(QCustomPlot *plot)
{
    // Timelines draw their blocks as items; the other plots draw plottables.
    if (plot->itemCount() > 0)
        return false;
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (QCPAbstractPlottable *p = plot->plottable(i);
            p->interface1D() && p->interface1D()->dataCount() > 0)
            return false;
    return true;
}

void exportCustomPlotInteractively(QWidget *parent, QCustomPlot *plot, const QString &defaultName,
                                   const QString &title)
{
    const std::optional<ExportChoice> choice =
        ExportDialog::ask(parent, ExportDialog::Target::File, defaultName);
    if (!choice)
        return;
    const FigureSize &size = choice->size;
    if (const QString error = exportCustomPlot(plot, choice->path, size.layoutWidth(),
                                               size.layoutHeight(), size.pngScale(), title,
                                               size.legend);
        !error.isEmpty())
        QMessageBox::warning(parent, QObject::tr("Export failed"), error);
}

} // namespace phaze

namespace phaze {

QColor categoryColour(std::size_t i)
{
    static const QColor colours[] = {QColor(0, 114, 178),  QColor(230, 159, 0),
                                     QColor(0, 158, 115),  QColor(204, 121, 167),
                                     QColor(86, 180, 233), QColor(213, 94, 0),
                                     QColor(240, 228, 66), QColor(0, 0, 0),
                                     QColor(150, 150, 150)};
    return colours[i % std::size(colours)];
}

void stylePaperPlot(QCustomPlot *plot, int tickPt, int labelPt, int legendColumns)
{
    // A plot on a tab never shown yet is laid out zero pixels high, and QCustomPlot then paints
    // into an empty buffer (a "paint buffer returned inactive painter" warning per layer and
    // replot). Below this size no figure is readable anyway.
    plot->setMinimumSize(160, 120);
    QFont tick = plot->font();
    tick.setPointSize(tickPt);
    QFont label = plot->font();
    label.setPointSize(labelPt);
    for (QCPAxis *a : {plot->xAxis, plot->yAxis}) {
        a->setTickLabelFont(tick);
        a->setLabelFont(label);
    }
    plot->legend->setFont(tick);
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(legendColumns);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setMargins(QMargins(4, 0, 4, 4));
}

void styleCategoryAxis(QCPAxis *axis)
{
    axis->grid()->setVisible(false);
    axis->setTickLength(0, 3);
    axis->setSubTicks(false);
}

void styleTimelinePlot(QCustomPlot *plot, const QString &timeLabel, int legendColumns)
{
    // Timelines carry text on their bars: one point smaller than the other plots.
    stylePaperPlot(plot, kPaperTickPt - 1, kPaperLabelPt - 1, legendColumns);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->setMouseTracking(true);
    plot->xAxis->setLabel(timeLabel);
    plot->yAxis->setRangeReversed(true);
    plot->yAxis->grid()->setVisible(false);
}

} // namespace phaze
