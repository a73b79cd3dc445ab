#include "core/cost/tensorcoremodel.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace phaze {
namespace {

double ceilDiv(double a, double b)
{
    return std::ceil(a / b);
}

std::int64_t ceilDiv(std::int64_t a, std::int64_t b)
{
    return (a + b - 1) / b;
}

// Cycles of one output strip (`cols` output columns, all `m` rows) through every reduction
// block of depth `depth`. A block of `rows` reduction rows streams max(m, rows) cycles (the next
// block's weights load behind the current stream, so only a short stream waits for them) and
// pays rows + cols cycles of systolic fill and drain. Summing the used rows, not the array
// depth, is what makes a bigger array never slower: merging two blocks never costs more.
double stripCycles(std::int64_t m, std::int64_t k, std::int64_t cols, std::int64_t depth)
{
    const std::int64_t blocks = ceilDiv(k, depth);
    const std::int64_t lastRows = k - (blocks - 1) * depth;
    const double md = double(m);
    return double(blocks - 1) * std::max(md, double(depth)) + std::max(md, double(lastRows)) +
           double(k) + double(blocks) * double(cols);
}

// Cycles of `cores` arrays each using a width x depth tile shape.
double parallelCycles(const GemmProblem &g, std::int64_t width, std::int64_t depth, int cores)
{
    // Work units are (batch, output-column strip) pairs; each unit runs all its reduction
    // blocks on one core, so no partial sums cross cores. Spare cores split a unit's rows.
    const std::int64_t strips = ceilDiv(g.n, width);
    const double units = g.batch * double(strips);
    const double p = double(cores);
    double rowSplit = 1.0;
    if (p >= units)
        rowSplit = std::min(double(g.m), std::floor(p / units));
    const double groups = std::floor(p / rowSplit);
    const double unitsPerGroup = ceilDiv(units, groups);
    const auto rows = std::int64_t(ceilDiv(double(g.m), rowSplit));
    // The widest strip bounds every unit (the last strip may be narrower).
    return unitsPerGroup * stripCycles(rows, g.k, std::min(width, g.n), depth);
}

// Tile sizes a core of size `size` can use for a dimension of `extent`: powers of two below
// the array size and the array size itself (sets grow with the array: monotonicity).
int tileSizes(std::int64_t size, std::int64_t extent, std::int64_t out[64])
{
    int count = 0;
    for (std::int64_t s = 1; s < size; s *= 2) {
        out[count++] = s;
        if (s >= extent)
            return count; // larger tiles behave exactly like this one on this GEMM
    }
    out[count++] = size;
    return count;
}

} // namespace

GemmProblem GemmProblem::of(const PrimitiveOp &op, int defaultElementBytes)
{
    GemmProblem g;
    const GemmShape &s = op.gemm;
    g.batch = double(s.batch);
    g.m = s.m;
    g.k = s.k;
    g.n = s.n;
    if (op.kind == OpKind::Linear) {
        g.m = s.batch * s.m;
        g.batch = 1;
    }
    const double outputs = double(s.batch) * double(s.m) * double(s.n);
    const double perElement = outputs > 0 ? double(op.outputBytes) / outputs : 0.0;
    g.elementBytes = perElement >= 1.0 ? perElement : double(std::max(1, defaultElementBytes));
    return g;
}

double gemmCyclesOneCore(const GemmProblem &g, std::int64_t width, std::int64_t depth)
{
    if (g.empty())
        return 0.0;
    width = std::max<std::int64_t>(width, 1);
    depth = std::max<std::int64_t>(depth, 1);
    const std::int64_t strips = ceilDiv(g.n, width);
    const std::int64_t lastCols = g.n - (strips - 1) * width;
    return g.batch * (double(strips - 1) * stripCycles(g.m, g.k, width, depth) +
                      stripCycles(g.m, g.k, lastCols, depth));
}

double gemmCyclesParallel(const GemmProblem &g, std::int64_t width, std::int64_t depth, int cores,
                          double syncCycles)
{
    const double alone = gemmCyclesOneCore(g, width, depth);
    if (g.empty() || cores <= 1)
        return alone;
    width = std::max<std::int64_t>(width, 1);
    depth = std::max<std::int64_t>(depth, 1);
    std::int64_t widths[64];
    std::int64_t depths[64];
    const int nw = tileSizes(width, g.n, widths);
    const int nd = tileSizes(depth, g.k, depths);
    double best = alone;
    for (int i = 0; i < nw; ++i)
        for (int j = 0; j < nd; ++j)
            best = std::min(best, parallelCycles(g, widths[i], depths[j], cores) + syncCycles);
    // One core holding the whole chip is always an option of the intra-operator mode, so it is
    // never slower than that: the documented overhead bound over single-core latency is zero.
    return best;
}

double gemmCyclesTiled(const GemmProblem &g, std::int64_t width, std::int64_t depth, int cores,
                       const TechnologyTable &tech)
{
    if (g.empty())
        return 0.0;
    const double perTile = std::max(1.0, tech.tileCores);
    const double groups = std::max(1.0, std::floor(double(cores) / perTile));
    const double macsPerCycle = perTile * double(std::max<std::int64_t>(width, 1)) *
                                double(std::max<std::int64_t>(depth, 1));
    double best = -1.0;
    for (const auto &[rows, cols] : {std::pair{tech.tileRows, tech.tileCols},
                                     std::pair{tech.tileCols, tech.tileRows}}) {
        // A partial tile at the edge costs a whole one (tile quantisation); tiles beyond a
        // multiple of the groups start another wave (wave quantisation).
        const double tiles = g.batch * std::ceil(double(g.m) / rows) * std::ceil(double(g.n) / cols);
        const double waves = std::ceil(tiles / groups);
        const double cycles = waves * rows * cols * double(g.k) / macsPerCycle;
        if (best < 0.0 || cycles < best)
            best = cycles;
    }
    return best + tech.intraSyncCycles;
}

double gemmReReadBytes(const GemmProblem &g, double capacityBytes, const TechnologyTable &tech)
{
    if (g.empty())
        return 0.0;
    // Output-stationary blocking: an mc x nc block of fp32 partial sums stays in the GLB while
    // the A row panel (mc x k) and the B column panel (k x nc) stream from HBM, so A is read
    // ceil(n / nc) times and B ceil(m / mc) times. The best nc (powers of two and n) is taken;
    // more capacity only enlarges the feasible blocks, so traffic never grows with the GLB.
    const double acc = std::max(tech.accumulatorBytes, g.elementBytes);
    const double capacity = std::max(0.0, capacityBytes * tech.glbUsableFraction);
    const double m = double(g.m);
    const double n = double(g.n);
    const double a = m * double(g.k) * g.elementBytes;
    const double b = double(g.k) * n * g.elementBytes;
    if (m * n * acc <= capacity)
        return 0.0;
    double best = a * (n - 1.0) + b * (m - 1.0); // 1 x 1 blocks: the worst case
    for (double nc = 1.0;; nc *= 2.0) {
        const double cols = std::min(nc, n);
        const double mc = std::min(m, std::floor(capacity / (cols * acc)));
        if (mc >= 1.0)
            best = std::min(best, a * (std::ceil(n / cols) - 1.0) + b * (std::ceil(m / mc) - 1.0));
        if (cols >= n || mc < 1.0)
            break;
    }
    return g.batch * best;
}

PartCost tensorCorePartCost(const PrimitiveOp &op, const AcceleratorConfig &config,
                            const TechnologyTable &tech)
{
    PartCost cost;
    const GemmProblem g = GemmProblem::of(op, config.bytesPerElement);
    const double e = g.elementBytes;
    const double fields = double(op.inputBytes + op.weightBytes + op.outputBytes);
    const double shapeBytes =
        g.batch * (double(g.m) * g.k + double(g.k) * g.n + double(g.m) * g.n) * e;
    cost.compulsoryBytes = fields > 0 ? fields : shapeBytes;
    cost.outputRows = g.batch * double(g.m);
    if (g.empty())
        return cost;

    const double f = config.frequency;
    const int cores = std::max(1, config.numTc);
    cost.single.computeTime = gemmCyclesOneCore(g, config.tcWidth, config.tcDepth) / f;
    cost.intra.computeTime =
        (tech.tileCores > 0
             ? gemmCyclesTiled(g, config.tcWidth, config.tcDepth, cores, tech)
             : gemmCyclesParallel(g, config.tcWidth, config.tcDepth, cores, tech.intraSyncCycles)) /
        f;
    // A single-core operator owns its core's share of the GLB; an intra-operator one the whole.
    cost.single.reReadBytes = gemmReReadBytes(g, config.glbBytes / cores, tech);
    cost.intra.reReadBytes = gemmReReadBytes(g, config.glbBytes, tech);

    // Energy: MACs, PE register traffic (operand shift + partial-sum pass, read and write),
    // scratchpad traffic (operand feeds and partial sums per reduction block) and the GLB feeds.
    const double acc = std::max(tech.accumulatorBytes, e);
    const double macs = g.batch * double(g.m) * double(g.k) * double(g.n);
    const double strips = double(ceilDiv(g.n, std::max<std::int64_t>(config.tcWidth, 1)));
    const double blocks = double(ceilDiv(g.k, std::max<std::int64_t>(config.tcDepth, 1)));
    const double aFeeds = g.batch * double(g.m) * double(g.k) * strips * e;
    const double bFeeds = g.batch * double(g.k) * double(g.n) * e;
    const double partials = g.batch * double(g.m) * double(g.n) * blocks * 2.0 * acc;
    const double outputs = g.batch * double(g.m) * double(g.n) * e;
    cost.onChipEnergy = macs * tech.macEnergy +
                        macs * 2.0 * (e + acc) * tech.registerEnergyPerByte +
                        (aFeeds + bFeeds + partials) * tech.scratchpadEnergyPerByte +
                        (aFeeds + bFeeds + outputs) * tech.glbEnergyPerByte;
    cost.hbmByteEnergy = tech.hbmEnergyPerByte + tech.glbEnergyPerByte;
    // A core blocks its share of the GEMM in its scratchpad as the chip blocks it in the GLB
    // (output-stationary, gemmReReadBytes): the GLB sends each operand panel once per block.
    const double scratchpad =
        double(config.tcWidth) * double(config.tcDepth) * tech.tcScratchpadBytesPerPe;
    cost.glbFeedBytes = shapeBytes + gemmReReadBytes(g, scratchpad, tech);
    return cost;
}

} // namespace phaze
