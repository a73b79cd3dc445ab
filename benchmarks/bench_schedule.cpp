// Per-layer schedule solve times (a plain timing program; run by hand, not a test):
//   build/benchmarks/bench_schedule [--no-fusion]
// Every distinct layer of every zoo model, forward and backward, for tensor-parallel widths
// 1, 2, 4 and 8, on the tpuv4 preset and on a 2-TC/1-VC chip (phaze-largest), each solved from
// scratch (no cache) to proven optimality. Reports the median and the slowest solve per pass
// and per layer (forward + backward), and whether every pass was proven optimal.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/cost/costmodel.h"
#include "core/model/modelzoo.h"
#include "core/model/transformerbuilder.h"
#include "core/schedule/exactscheduler.h"
#include "core/schedule/layerscheduler.h"
#include "core/spec/acceleratorconfig.h"

using namespace phaze;

namespace {

struct Sample {
    double seconds = 0.0;
    std::string what;
};

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

int main(int argc, char **argv)
{
    const bool fusion = !(argc > 1 && std::strcmp(argv[1], "--no-fusion") == 0);
    const CostModel costs;
    const ExactScheduler scheduler; // the default limit (search.ilp_time_limit, 10 s), gap 0
    std::vector<Sample> passes, layers;
    int notOptimal = 0, ilpPasses = 0, skipped = 0, maxOps = 0;
    using Clock = std::chrono::steady_clock;
    for (const char *archName : {"tpuv4", "phaze-largest"}) {
        const AcceleratorConfig config = findAcceleratorPreset(archName)->config;
        for (const TransformerSpec &spec : modelZoo()) {
            for (int t : {1, 2, 4, 8}) {
                GraphBuildOptions options;
                options.tensorParallel = t;
                options.fusion = fusion;
                const Result<ModelGraph> graph = buildTransformer(spec, options);
                if (!graph.value) {
                    ++skipped;
                    continue;
                }
                for (int index : graph.value->distinctLayers()) {
                    const Layer &layer = graph.value->layers[std::size_t(index)];
                    const LayerCost cost = costs.estimateLayer(*layer.body, config);
                    double layerSeconds = 0.0;
                    for (const bool backward : {false, true}) {
                        const ScheduleProblem problem = LayerScheduler::problemOf(
                            backward ? cost.backward : layer.body->forward,
                            backward ? cost.backwardOps : cost.forwardOps, config);
                        maxOps = std::max(maxOps, int(problem.ops.size()));
                        // Wall time of the whole call: reduction, bound, heuristic, ILP.
                        const auto start = Clock::now();
                        const Result<ScheduleSolution> r = scheduler.solve(problem);
                        const double s =
                            std::chrono::duration<double>(Clock::now() - start).count();
                        notOptimal += r.status == Status::Optimal ? 0 : 1;
                        ilpPasses += r.value && r.value->ilpSolves > 0 ? 1 : 0;
                        const std::string what = std::string(archName) + " " + spec.key +
                                                 " t=" + std::to_string(t) + " " + layer.name +
                                                 (backward ? " backward" : " forward") + " (" +
                                                 std::to_string(problem.ops.size()) + " ops)";
                        passes.push_back({s, what});
                        layerSeconds += s;
                    }
                    layers.push_back({layerSeconds, std::string(archName) + " " + spec.key + " t=" +
                                                        std::to_string(t) + " " + layer.name});
                }
            }
        }
    }
    auto report = [](const char *title, const std::vector<Sample> &samples) {
        std::vector<double> seconds;
        for (const Sample &s : samples)
            seconds.push_back(s.seconds);
        const auto slowest =
            std::max_element(samples.begin(), samples.end(), [](const Sample &a, const Sample &b) {
                return a.seconds < b.seconds;
            });
        std::printf("%-8s %5zu solved  median %8.3f ms  slowest %8.3f ms  (%s)\n", title,
                    samples.size(), median(seconds) * 1e3, slowest->seconds * 1e3,
                    slowest->what.c_str());
    };
    std::printf("fusion %s; %d model/width pairs skipped (width not supported by the model); "
                "largest pass %d operators\n",
                fusion ? "on" : "off", skipped, maxOps);
    report("passes", passes);
    report("layers", layers);
    std::printf("%d passes needed the ILP; %d not proven optimal\n", ilpPasses, notOptimal);
    return notOptimal == 0 ? 0 : 1;
}
