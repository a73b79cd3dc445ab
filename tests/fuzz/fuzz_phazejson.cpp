// Fuzz target: the PHAZE placement-input reader (readPhazeInput). An input that reads is valid
// by validatePlacementInput; a tiny one is also placed (the DP, the fixed baseline and the
// output writer), which is how `phaze place` uses it.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/io/phazejson.h"
#include "core/placement/placement.h"
#include "tests/fuzz/fuzzcheck.h"

namespace {

using namespace phaze;

const std::string kFile = "fuzz.json";

// The DP costs about downsets^2 x devices per width: keep it to a few milliseconds.
bool tinyEnoughToPlace(const PlacementInput &in)
{
    if (in.devices > 64 || in.graphs.size() > 3)
        return false;
    for (const PlacementGraph &g : in.graphs) {
        if (g.layers.size() > 10 || g.edges.size() > 20 || g.tensorParallelWidth > 64)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    Diagnostics errors;
    const std::optional<PlacementInput> in = readPhazeInput(text, kFile, errors);
    fuzz::checkDiagnostics(errors, kFile);
    fuzz::check(in.has_value() == errors.empty(), "an input is returned exactly without errors");
    if (!in)
        return 0;
    const std::string why = validatePlacementInput(*in);
    fuzz::check(why.empty(), "an input that was read does not validate: " + why);
    if (!tinyEnoughToPlace(*in))
        return 0;
    PlacementOptions options;
    options.maxDownsets = 2000;
    options.maxTableBytes = std::size_t(1) << 24;
    const Result<Placement> result = place(*in, options);
    // Refusals (too many downsets, a table too large) are fine; an inconsistency is not.
    fuzz::check(result.message.find("internal error") == std::string::npos,
                "place() failed: " + result.message);
    if (result.hasValue()) {
        const Placement &p = *result.value;
        fuzz::check(!p.stages.empty(), "a placement has no stages");
        fuzz::check(p.dataParallel >= 1 && p.tensorParallel >= 1, "a degree below one");
        fuzz::check(std::int64_t(p.devicesPerPipeline) * p.dataParallel <= in->devices,
                    "a placement uses more devices than there are");
    }
    writePhazeOutput(result);
    return 0;
}
