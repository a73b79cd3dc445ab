#include "core/spec/trainingrecipe.h"

namespace phaze {

std::string precisionName(Precision p)
{
    switch (p) {
    case Precision::Bf16Mixed:
        return "bf16-mixed";
    case Precision::Fp16Mixed:
        return "fp16-mixed";
    case Precision::Fp32:
        return "fp32";
    }
    return "?";
}

std::string recomputationName(Recomputation r)
{
    switch (r) {
    case Recomputation::None:
        return "none";
    case Recomputation::Selective:
        return "selective";
    case Recomputation::Full:
        return "full";
    }
    return "?";
}

ParameterStateBytes parameterStateBytes(const TrainingRecipe &recipe)
{
    ParameterStateBytes b;
    const bool mixed = recipe.precision != Precision::Fp32;
    b.weights = mixed ? 2.0 : 4.0;
    b.gradients = (!mixed || recipe.fp32Gradients) ? 4.0 : 2.0;
    // Mixed precision keeps an fp32 master copy; Adam adds two fp32 moments. Plain SGD (no
    // momentum, as PHAZE) keeps no state beyond the master copy.
    const double master = mixed ? 4.0 : 0.0;
    const double moments = recipe.optimizer == Optimizer::Adam ? 8.0 : 0.0;
    b.optimizer = master + moments;
    return b;
}

} // namespace phaze
