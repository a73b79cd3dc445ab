#include "core/io/projectcheck.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <tuple>

#include <yaml-cpp/yaml.h>

#include "core/base/units.h"
#include "core/io/modelloader.h"
#include "core/io/projectprepare.h"
#include "core/io/yamlreader.h"
#include "core/model/modelzoo.h"

namespace phaze {
namespace {

std::string listText(const std::vector<double> &values, Dimension dim)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + formatQuantity(values[i], dim);
    return out + "]";
}

std::string intList(const std::vector<int> &values)
{
    return listText(std::vector<double>(values.begin(), values.end()), Dimension::Count);
}

std::string rangeText(const ValueRange &r, Dimension dim)
{
    const std::vector<double> v = r.expand();
    if (r.isRange)
        return formatQuantity(r.min, dim) + " .. " + formatQuantity(r.max, dim) + " (" +
               std::to_string(v.size()) + " powers of two)";
    return listText(v, dim);
}

std::string parameterText(std::int64_t n)
{
    std::ostringstream out;
    out.precision(4);
    if (n >= 1'000'000'000)
        out << double(n) / 1e9 << " B";
    else
        out << double(n) / 1e6 << " M";
    return out.str();
}

} // namespace

void locateErrors(Diagnostics &errors, const std::string &path)
{
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception &) {
        return; // unreadable now: keep the errors as they are
    }
    const std::string name = std::filesystem::path(path).filename().string();
    for (Diagnostic &d : errors)
        if (d.line == 0 && (d.file == name || d.file == path))
            std::tie(d.line, d.column) = locatePath(root, d.path);
}

ProjectCheck checkProject(const ProjectSpec &project, const std::string &fileName,
                          const std::string &baseDir)
{
    ProjectCheck out;
    const TrainingSpec &t = project.training;
    const int smallestMicrobatch =
        t.microbatchSizes.empty()
            ? 1
            : *std::min_element(t.microbatchSizes.begin(), t.microbatchSizes.end());
    for (std::size_t i = 0; i < t.microbatchSizes.size(); ++i)
        if (t.microbatchSizes[i] > t.globalBatch)
            out.errors.push_back(Diagnostic{
                fileName, 0, 0, "training.microbatch_sizes[" + std::to_string(i) + "]",
                "microbatch size " + std::to_string(t.microbatchSizes[i]) +
                    " is larger than the global batch " + std::to_string(t.globalBatch)});
    for (std::size_t i = 0; i < t.tensorParallelWidths.size(); ++i)
        if (t.tensorParallelWidths[i] > t.accelerators)
            out.errors.push_back(Diagnostic{
                fileName, 0, 0, "training.tensor_parallel_widths[" + std::to_string(i) + "]",
                "width " + std::to_string(t.tensorParallelWidths[i]) + " needs more than the " +
                    std::to_string(t.accelerators) + " accelerators"});

    for (std::size_t m = 0; m < project.models.size(); ++m) {
        const ModelRef &ref = project.models[m];
        const std::string path = "models[" + std::to_string(m) + "]";
        ModelSummary summary;
        summary.label = ref.label();
        summary.tensorParallelWidths = tensorParallelWidthsFor(ref, t);
        if (const TransformerSpec *spec = transformerOf(ref))
            summary.family = spec->family;
        else
            summary.family = "imported graph";
        bool first = true;
        for (int width : summary.tensorParallelWidths) {
            const Result<ModelGraph> load =
                buildModelVariant(project, ref, smallestMicrobatch, width, baseDir);
            for (Diagnostic d : load.diagnostics) {
                if (d.file.empty())
                    d.file = fileName;
                d.path = d.path.empty() ? path : path + " (" + d.path + ")";
                if (ref.file.empty())
                    d.message += " (tensor-parallel width " + std::to_string(width) + ")";
                out.errors.push_back(std::move(d));
            }
            if (!load.hasValue())
                break;
            if (first) {
                const ModelGraph &g = *load.value;
                summary.layers = int(g.layers.size());
                summary.transformerBlocks = g.transformerBlocks;
                summary.distinctLayers = int(g.distinctLayers().size());
                summary.parameters = g.totalParameters();
                summary.sequence = g.options.sequence;
                summary.chain = g.isChain();
                first = false;
            }
            if (!ref.file.empty())
                break; // an imported graph has one fixed width
        }
        out.models.push_back(std::move(summary));
    }
    return out;
}

std::string describeProject(const ProjectSpec &p, const std::vector<ModelSummary> &models)
{
    using D = Dimension;
    std::ostringstream out;
    if (!p.name.empty())
        out << p.name << "\n";
    if (!p.description.empty())
        out << "  " << p.description << "\n";
    out << "models:\n";
    for (const ModelSummary &m : models) {
        out << "  " << m.label << " (" << m.family << "): " << m.layers << " layers";
        if (m.transformerBlocks > 0)
            out << " (" << m.transformerBlocks << " transformer blocks)";
        out << ", " << m.distinctLayers << " distinct, " << parameterText(m.parameters)
            << " parameters";
        if (m.sequence > 0)
            out << ", sequence " << m.sequence;
        out << (m.chain ? "" : ", branching layer graph") << ", tensor-parallel widths "
            << intList(m.tensorParallelWidths) << "\n";
    }
    if (p.architecture) {
        const AcceleratorConfig &c = p.architecture->config;
        out << "architecture: "
            << (p.architecture->preset.empty() ? "custom" : p.architecture->preset) << ": "
            << c.numTc << " TCs of " << c.tcWidth << "x" << c.tcDepth << ", " << c.numVc
            << " VCs of " << c.vcWidth << " lanes, GLB " << formatQuantity(c.glbBytes, D::Bytes)
            << ", HBM " << formatQuantity(c.hbmBytes, D::Bytes) << " at "
            << formatQuantity(c.hbmBandwidth, D::Bandwidth) << ", "
            << formatQuantity(c.frequency, D::Frequency) << "; peak "
            << formatHuman(c.peakFlops(), D::FlopRate) << "\n";
    }
    if (p.space) {
        const ArchSpaceSpec &s = *p.space;
        const std::size_t grid = s.numTc.expand().size() * s.tcWidth.expand().size() *
                                 s.tcDepth.expand().size() * s.numVc.expand().size() *
                                 s.glbSize.expand().size() *
                                 std::max<std::size_t>(1, s.vcWidth.size());
        out << "architecture space: num_tc " << rangeText(s.numTc, D::Count) << ", tc_width "
            << rangeText(s.tcWidth, D::Count) << ", tc_depth " << rangeText(s.tcDepth, D::Count)
            << ", num_vc " << rangeText(s.numVc, D::Count) << ", vc_width "
            << (s.vcWidth.empty() ? std::string("tied to tc_width") : listText(s.vcWidth, D::Count))
            << ", glb_size " << rangeText(s.glbSize, D::Bytes) << "\n  " << grid
            << " grid points before the area window; area budget "
            << (s.areaBudgetPreset.empty() ? formatQuantity(s.areaBudget, D::Area)
                                           : "the area of " + s.areaBudgetPreset)
            << ", kept from " << s.areaMinFraction * 100 << "% of it\n";
    }
    const TrainingSpec &t = p.training;
    const bool system = t.profile == ModelProfile::System;
    out << "training: " << t.accelerators << " accelerators, global batch " << t.globalBatch
        << ", microbatch sizes " << intList(t.microbatchSizes) << ", HBM sizes "
        << listText(t.hbmSizes, D::Bytes);
    // Recomputation, tensor-parallel widths and the one link are PHAZE's knobs; the system
    // profile takes them from strategy: and cluster: (printed below).
    if (!system) {
        out << ", recomputation [";
        for (std::size_t i = 0; i < t.recomputation.size(); ++i)
            out << (i ? ", " : "") << (t.recomputation[i] ? "on" : "off");
        out << "], tensor-parallel widths "
            << (t.tensorParallelWidths.empty() ? std::string("per model")
                                               : intList(t.tensorParallelWidths));
    }
    out << ", " << (t.optimizer == Optimizer::Adam ? "Adam" : "SGD");
    if (!system)
        out << ", links " << formatQuantity(t.linkBandwidth, D::Bandwidth);
    out << ", " << (t.pipelineSchedule == PipelineSchedule::GPipe ? "GPipe" : "1F1B") << "\n";
    if (system) {
        const ClusterSpec &c = p.cluster;
        out << "profile: system (" << precisionName(t.precision) << ", "
            << (t.attention == AttentionKernel::Fused ? "fused" : "materialised")
            << " attention, gradients in "
            << (t.fp32Gradients ? "fp32" : "16 bits") << ", gradient reduction "
            << (t.overlapGradientReduction ? "overlapped" : "not overlapped") << ")\n"
            << "cluster: " << (c.preset.empty() ? std::string("given in full") : c.preset) << ", "
            << c.devicesPerNode << " devices per node, intra-node "
            << formatHuman(c.intraNode.bandwidth, D::Bandwidth) << " (efficiency "
            << c.intraNode.efficiency << "), inter-node "
            << formatHuman(c.interNode.bandwidth, D::Bandwidth) << " (efficiency "
            << c.interNode.efficiency << ")\n";
        const StrategySpec &st = p.strategy;
        const auto ints = [](const std::vector<int> &v, const char *open) {
            return v.empty() ? std::string(open) : intList(v);
        };
        std::string recs;
        for (Recomputation r : st.recomputation)
            recs += (recs.empty() ? "" : ", ") + recomputationName(r);
        out << "strategy: tp " << ints(st.tensor, "searched") << ", pp "
            << ints(st.pipeline, "searched") << ", dp " << ints(st.data, "rest") << ", microbatch "
            << ints(st.microbatch, "from training") << ", interleave " << ints(st.interleave, "1")
            << ", recomputation " << (recs.empty() ? std::string("searched") : "[" + recs + "]")
            << "\n";
    }
    const SearchSpec &s = p.search;
    out << "search: " << (s.strategy == SearchStrategy::Phaze ? "phaze" : "exact") << ", "
        << (s.threads == 0 ? std::string("one thread per core")
                           : std::to_string(s.threads) + " threads")
        << ", ILP time limit " << formatQuantity(s.ilpTimeLimit, D::Time) << ", MIP gap "
        << s.mipGap << ", fusion " << (s.fusion ? "on" : "off") << "\n";
    out << "technology: " << p.technology << "\n";
    return out.str();
}

} // namespace phaze
