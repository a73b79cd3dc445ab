// The execution effects of the system profile (docs/cost-model.md, "Execution effects"): the
// per-kernel overhead and the achievable HBM bandwidth, by hand; PHAZE's profile without them;
// and what they do to a GPT layer stack trained on one device as its microbatch grows.

#include <QtTest>

#include "core/arch/onchipnetwork.h"
#include "core/arch/technology.h"
#include "core/cost/costmodel.h"
#include "core/model/modelzoo.h"
#include "core/model/operatordag.h"
#include "core/model/transformerbuilder.h"
#include "core/spec/clusterspec.h"
#include "core/system/trainingestimate.h"

#include "tests/support/operatorparts.h"

using namespace phaze;
using testsupport::linearPart;
using testsupport::vectorPart;

namespace {

bool close(double a, double b, double rel = 1e-12)
{
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

// A GPT layer stack (12 blocks of GPT-2 small's width) on one A100, no parallelism.
TrainingProblem oneDevice(int microbatch)
{
    TransformerSpec model = *findZooModel("gpt2-xl");
    model.layers = 12;
    model.hidden = 768;
    model.heads = 12;
    model.ffn = 4 * 768;
    TrainingProblem p;
    p.model = model;
    p.sequence = 1024;
    p.chip = findAcceleratorPreset("a100-sxm4-80gb")->config;
    p.cluster = findClusterPreset("dgx-a100")->cluster;
    p.layout = {1, 1, 1, microbatch, 64, 1, 1};
    return p;
}

} // namespace

class TestExecutionEffects : public QObject
{
    Q_OBJECT

private slots:
    void defaultsComeFromTheTechnology()
    {
        const ExecutionEffects e = ExecutionEffects::of(defaultTechnology());
        QCOMPARE(e.operatorOverhead, 1e-6);
        QCOMPARE(e.hbmEfficiency, 0.87);
        QCOMPARE(e.matmulEfficiency, 0.869);
        QVERIFY(e.onChipNetwork);
        QCOMPARE(CostModel::realistic(defaultTechnology()).effects(), e);
        QCOMPARE(CostModel::forProfile(ModelProfile::System, defaultTechnology()).effects(), e);
        // PHAZE's profile models the ideal chip of the paper.
        QCOMPARE(CostModel::forProfile(ModelProfile::Phaze, defaultTechnology()).effects(),
                 ExecutionEffects{});
        QCOMPARE(CostModel().effects(), ExecutionEffects{});
    }

    void memoryBoundOperatorByHand()
    {
        // 64 Mi elements of add on the A100 preset: 256 MiB in and out (bf16) at 87% of 2039
        // GB/s, plus one kernel's overhead; far above the lanes' compute time.
        const AcceleratorConfig a100 = findAcceleratorPreset("a100-sxm4-80gb")->config;
        const PrimitiveOp add = vectorPart(OpKind::Add, 64LL << 20);
        const double bytes = 2.0 * double(64LL << 20) * 2.0;
        const OperatorCost ideal = CostModel().estimate(add, a100);
        const OperatorCost real = CostModel::realistic(defaultTechnology()).estimate(add, a100);
        QVERIFY(close(ideal.intra.latency, bytes / 2039e9));
        QVERIFY(close(real.intra.latency, bytes / (0.87 * 2039e9) + 1e-6));
        QCOMPARE(real.intra.hbmBytes, ideal.intra.hbmBytes);
        QCOMPARE(real.intra.energy, ideal.intra.energy); // the same work, only slower
    }

    void computeBoundGemmPaysOneKernelPerGemm()
    {
        const AcceleratorConfig a100 = findAcceleratorPreset("a100-sxm4-80gb")->config;
        Operator forward;
        forward.name = "fc1";
        forward.parts.push_back(linearPart(8192, 8192, 8192));
        const Operator backward = backwardOperator(forward); // data and weight gradients
        const CostModel ideal;
        const CostModel real = CostModel::realistic(defaultTechnology());
        // Each kernel also waits for a barrier across the 24 x 24 mesh of the A100's 540 cores:
        // 2 x 46 hops x 2 cycles at 1.41 GHz (its feeds cross the mesh well within the compute).
        const double barrier = 2.0 * 46 * 2 / 1.41e9;
        QCOMPARE(onChipNetworkOf(a100).barrierCycles(defaultTechnology()), 184.0);
        // The tiling model's cycles run at the sustained 86.9% of the peak (the default table's
        // matmul efficiency: this cost model is not the A100 preset's technologyForChip).
        const double sustained = 0.869;
        const OperatorCost f0 = ideal.estimate(forward, a100), f1 = real.estimate(forward, a100);
        QCOMPARE(f0.intra.latency, f0.intra.computeTime); // compute-bound
        QVERIFY(close(f1.intra.latency, f0.intra.computeTime / sustained + 1e-6 + barrier, 1e-9));
        const OperatorCost b0 = ideal.estimate(backward, a100), b1 = real.estimate(backward, a100);
        QCOMPARE(b0.intra.latency, b0.intra.computeTime);
        QVERIFY(close(b1.intra.latency, b0.intra.computeTime / sustained + 2 * (1e-6 + barrier),
                      1e-9));
        // A free operator (a view) stays free.
        PrimitiveOp view;
        view.kind = OpKind::View;
        QCOMPARE(real.estimate(view, a100).intra.latency, 0.0);
    }

    void chipPresetsSustainTheirMeasuredMatmulRate()
    {
        // The best shape of each GPU's maximum-achievable-matmul sweep (S. Bekman, "Machine
        // Learning Engineering", MAMF table, bf16, PyTorch 2.6): with the preset's own measured
        // efficiency, the model's FLOP/s on that GEMM (MxNxK, a kernel's overhead and barrier
        // included) lies within 5% under the measurement (the tiling model's own losses on the
        // shape), never above it.
        struct Case {
            const char *chip;
            std::int64_t m, n, k;
            double measured; // FLOP/s
        };
        const Case cases[] = {{"a100-sxm4-80gb", 1024, 10240, 5120, 271.2e12},
                              {"h100-sxm5-80gb", 2048, 2048, 13312, 794.5e12}};
        for (const Case &c : cases) {
            const AcceleratorPreset *preset = findAcceleratorPreset(c.chip);
            const CostModel real =
                CostModel::realistic(technologyForChip(defaultTechnology(), c.chip));
            QCOMPARE(real.effects().matmulEfficiency, preset->matmulEfficiency);
            Operator op;
            op.parts.push_back(linearPart(c.m, c.k, c.n));
            const double seconds = real.estimate(op, preset->config).intra.latency;
            const double rate = 2.0 * double(c.m) * double(c.n) * double(c.k) / seconds;
            qInfo("%s, %lldx%lldx%lld: %.1f TFLOP/s modelled, %.1f measured", c.chip,
                  (long long)c.m, (long long)c.n, (long long)c.k, rate / 1e12, c.measured / 1e12);
            QVERIFY2(rate <= c.measured && rate >= 0.95 * c.measured, c.chip);
        }
        QCOMPARE(findAcceleratorPreset("a100-sxm4-80gb")->matmulEfficiency, 271.2 / 312.0);
        QCOMPARE(findAcceleratorPreset("h200-sxm-141gb")->matmulEfficiency, 794.5 / 989.0);
        // A chip without a measurement keeps the table's figure.
        QCOMPARE(technologyForChip(defaultTechnology(), "tpuv4"), defaultTechnology());
        QCOMPARE(technologyForChip(defaultTechnology(), "my-chip.yaml"), defaultTechnology());
    }

    void phazeProfileIsUnchanged()
    {
        // Every operator of a zoo layer costs the same under PHAZE's profile as the ideal model.
        GraphBuildOptions options;
        const Result<ModelGraph> g = buildTransformer(*findZooModel("bert-large"), options);
        QVERIFY(g.ok());
        const CostModel phaze = CostModel::forProfile(ModelProfile::Phaze, defaultTechnology());
        const CostModel ideal;
        const AcceleratorConfig tpu = findAcceleratorPreset("tpuv4")->config;
        for (const Layer &layer : g.value->layers)
            for (const Operator &op : layer.body->forward.ops)
                QVERIFY(phaze.estimate(op, tpu) == ideal.estimate(op, tpu));
    }

    void singleDeviceThroughputRisesWithTheMicrobatchThenSaturates()
    {
        // Small microbatches leave the chip to per-kernel overheads and memory-bound element-wise
        // work; large ones to the GEMMs. Throughput (samples/s) rises with the microbatch and
        // saturates; without the overheads it is flatter at the small end.
        const CostModel real = CostModel::realistic(defaultTechnology());
        const CostModel ideal;
        std::vector<double> rate, idealRate;
        for (int b : {1, 2, 4, 8, 16, 32}) {
            const Result<TrainingEstimate> e = estimateTraining(oneDevice(b), real);
            const Result<TrainingEstimate> i = estimateTraining(oneDevice(b), ideal);
            QVERIFY2(e.ok() && i.ok(), e.message.c_str());
            rate.push_back(64.0 / e.value->iterationTime);
            idealRate.push_back(64.0 / i.value->iterationTime);
            qInfo("microbatch %2d: %.1f samples/s (ideal chip %.1f)", b, rate.back(),
                  idealRate.back());
        }
        for (std::size_t i = 1; i < rate.size(); ++i)
            QVERIFY2(rate[i] >= rate[i - 1], qPrintable(QString::number(i)));
        QVERIFY(rate[1] / rate[0] > 1.02);                   // rises at the small end
        QVERIFY(rate.back() / rate[rate.size() - 2] < 1.01); // saturates at the large end
        QVERIFY(rate[1] / rate[0] > idealRate[1] / idealRate[0]);
        for (std::size_t i = 0; i < rate.size(); ++i)
            QVERIFY(rate[i] < idealRate[i]); // a real chip is never faster than the ideal one
    }

    // Under the system profile each distinct layer's efficiency is its FLOPs over its kernels'
    // compute, one after another, over the chip's peak; the GPT block's rises with the
    // microbatch (fewer overheads per FLOP) and stays under the sustained matmul rate.
    void layerEfficiencyIsTheFlopsOverTheKernels()
    {
        const CostModel real = CostModel::realistic(defaultTechnology());
        std::vector<double> block;
        for (int b : {1, 8}) {
            const TrainingProblem problem = oneDevice(b);
            const Result<TrainingEstimate> e = estimateTraining(problem, real);
            QVERIFY2(e.ok(), e.message.c_str());
            const std::vector<LayerEfficiency> &layers = e.value->layerEfficiency;
            QCOMPARE(layers.size(), std::size_t(3)); // embedding, block x12, head
            QCOMPARE(layers[1].layer, std::string("block.0"));
            QCOMPARE(layers[1].count, 12);
            // By hand: the unfused block, every kernel's intra-operator latency summed.
            GraphBuildOptions options;
            options.microbatch = b;
            options.sequence = problem.sequence;
            options.fusion = false;
            options.bytesPerElement = 2;
            const Result<ModelGraph> graph = buildTransformer(problem.model, options);
            QVERIFY(graph.ok());
            const LayerBody &body = *graph.value->layers[1].body;
            const LayerCost cost = real.estimateLayer(body, problem.chip);
            double forward = 0.0, backward = 0.0;
            for (std::size_t i = 0; i < cost.forwardOps.size(); ++i) {
                forward += cost.forwardOps[i].intra.latency;
                backward += cost.backwardOps[i].intra.latency;
            }
            const double peak = problem.chip.peakFlops();
            QVERIFY(close(layers[1].forward, body.flopsForward / forward / peak, 1e-9));
            QVERIFY(close(layers[1].backward, body.flopsBackward / backward / peak, 1e-9));
            for (const LayerEfficiency &l : layers) { // the embedding's lookup has no FLOPs
                QVERIFY2(l.forward >= 0.0 && l.forward < 0.869, l.layer.c_str());
                QVERIFY2(l.backward >= 0.0 && l.backward < 0.869, l.layer.c_str());
            }
            QVERIFY(layers[1].forward > 0.1 && layers[2].forward > 0.1);
            qInfo("microbatch %d: block forward %.1f%%, backward %.1f%% of the peak", b,
                  100.0 * layers[1].forward, 100.0 * layers[1].backward);
            block.push_back(layers[1].forward);
        }
        QVERIFY(block[1] > block[0]);
    }
};

QTEST_GUILESS_MAIN(TestExecutionEffects)
#include "test_executioneffects.moc"
