#include "core/arch/technology.h"

#include "core/spec/acceleratorconfig.h"

namespace phaze {

int vectorKindIndex(OpKind kind)
{
    return isVectorKind(kind) ? int(kind) - int(OpKind::Add) : -1;
}

std::array<double, kVectorKindCount> TechnologyTable::defaultVectorCycles(bool backward)
{
    // Cycles per element on one lane. Element-wise arithmetic is one cycle; transcendental
    // functions go through a LUT + polynomial (a few cycles); normalisations and softmax need
    // two reductions and a rescale; backward variants add the extra products of the chain rule.
    // Order follows OpKind: add, mul, scale, mask, softmax, layer_norm, rms_norm, gelu, relu,
    // silu, rotary, dropout, cross_entropy, embedding_grad, permute (a row gather: one copy per
    // element, memory-bound in practice).
    if (backward)
        return {1, 2, 1, 1, 4, 9, 6, 6, 1, 5, 3, 1, 3, 2, 1};
    return {1, 1, 1, 1, 6, 6, 4, 4, 1, 3, 3, 2, 6, 2, 1};
}

double TechnologyTable::vectorCyclesFor(OpKind kind, bool backward) const
{
    const int index = vectorKindIndex(kind);
    if (index < 0)
        return 0.0;
    return backward ? vectorCyclesBackward[std::size_t(index)] : vectorCycles[std::size_t(index)];
}

const TechnologyTable &defaultTechnology()
{
    static const TechnologyTable table;
    return table;
}

TechnologyTable technologyForProfile(TechnologyTable table, ModelProfile profile)
{
    if (profile == ModelProfile::Phaze) {
        table.coreControlArea = 0.0;
        table.coreDmaArea = 0.0;
        table.instructionStoreBytes = 0.0;
        table.nocRouterAreaPerLinkByte = 0.0;
        table.nocHopCycles = 0.0;
        table.staticPowerPerMm2 = 0.0;
        table.tileCores = 0.0; // PHAZE's chip deals output strips to single cores
    }
    return table;
}

TechnologyTable technologyForChip(TechnologyTable table, std::string_view preset)
{
    const AcceleratorPreset *chip = findAcceleratorPreset(preset);
    if (chip && chip->matmulEfficiency > 0.0)
        table.matmulEfficiency = chip->matmulEfficiency;
    if (chip && chip->tile.cores > 0) {
        table.tileCores = chip->tile.cores;
        table.tileRows = chip->tile.rows;
        table.tileCols = chip->tile.cols;
    }
    return table;
}

} // namespace phaze
