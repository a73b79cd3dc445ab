#pragma once

// The roofline of one layer pass on a chip: every operator of the pass as a point at its
// arithmetic intensity (FLOPs per HBM byte) and the FLOP/s it achieves spread over the whole
// chip, alone (its intra-operator latency, the cost model's number), under the chip's roofs: the
// tensor cores' peak and the vector cores' (flat), and the achieved HBM bandwidth times the
// intensity (the slope). Log-log axes; tensor-core, fused and vector operators in their own
// colours and symbols. Operators without FLOPs or without HBM traffic (collectives, views) have
// no place on it and are counted in the note. QCustomPlot stays out of this header.

#include <QString>
#include <QWidget>

#include <vector>

#include "core/model/operator.h"

class QCustomPlot;
class QLabel;

namespace phaze {

struct RooflinePoint {
    QString name;
    CoreClass core = CoreClass::None;
    double flops = 0.0;   // of the operator
    double bytes = 0.0;   // HBM bytes, read and written
    double seconds = 0.0; // its latency spread over the chip

    double intensity() const { return flops / bytes; }   // FLOP/B
    double achieved() const { return flops / seconds; }  // FLOP/s
    bool drawable() const { return flops > 0.0 && bytes > 0.0 && seconds > 0.0; }
};

struct RooflineRoofs {
    double tensorPeak = 0.0;   // FLOP/s
    double vectorPeak = 0.0;   // element operations/s
    double hbmBandwidth = 0.0; // B/s, as operators achieve it
    // The roof over an intensity for an operator of this class: min(peak, bandwidth x I).
    double attainable(CoreClass core, double intensity) const;
};

class RooflinePlot : public QWidget
{
    Q_OBJECT

public:
    explicit RooflinePlot(QWidget *parent = nullptr);

    void setPoints(std::vector<RooflinePoint> points, const RooflineRoofs &roofs);
    void clear();
    // The points drawn (the drawable ones), in the order given.
    const std::vector<RooflinePoint> &drawnPoints() const { return m_drawn; }
    int leftOut() const { return m_leftOut; }
    QString noteText() const;
    QCustomPlot *plot() const { return m_plot; }

private:
    QCustomPlot *m_plot;
    QLabel *m_note;
    std::vector<RooflinePoint> m_drawn;
    int m_leftOut = 0;
};

} // namespace phaze
