#include "core/system/activationmemory.h"

namespace phaze {

LayerActivationTerms blockActivationTerms(const TransformerSpec &spec, int microbatch,
                                          int sequence, int bytesPerElement,
                                          AttentionKernel attention, bool experts,
                                          double expertLoad)
{
    const double e = bytesPerElement;
    const double tokens = double(microbatch) * sequence;
    const double h = spec.hidden;
    const double headDim = spec.headWidth();
    const double q = spec.heads * headDim;            // width of Q (h unless a head width is set)
    const double kv = spec.keyValueHeads() * headDim; // width of K and of V
    const double f = spec.ffn;
    // Dropout keeps a one-byte mask per element; RMSNorm models (Llama) train without dropout.
    const bool dropout = spec.norm != NormKind::RMSNorm;
    const double mask = dropout ? 1.0 : 0.0;

    LayerActivationTerms t;
    // Two norms keep their inputs; the attention and MLP inputs (the norm outputs) are kept by
    // the first GEMM of each; each sublayer's output dropout keeps its mask.
    t.replicated = tokens * h * (2 * e /*norm inputs*/ + 2 * e /*GEMM inputs*/ + 2 * mask);
    // Q, K and V (the inputs of QK^T and of the attention over V), the output projection's input.
    t.split = tokens * e * (q + 2 * kv) + tokens * q * e;
    // Q/K norms keep their inputs (Q and K before the norm) as well.
    if (spec.qkNorm)
        t.split += tokens * e * (q + kv);
    // The MLP: GELU keeps its input and the second GEMM its output; SwiGLU keeps the gate and up
    // projections (the inputs of SiLU and of the product) and the product (the down input).
    if (experts) {
        // The router's fp32 probabilities on every rank; per routed copy its gate, up and
        // product at the expert width (split over t), and the copy itself before the experts
        // and after them (whole); the shared experts as a dense SwiGLU MLP.
        const MixtureOfExperts &m = spec.moe;
        const double copies = tokens * m.expertsPerToken * expertLoad;
        t.replicated += tokens * m.experts * 4.0;
        t.split += copies * m.expertFfn * e * 3 + tokens * m.sharedFfn * e * 3;
        t.expertTokens = 2.0 * copies * h * e;
    } else if (spec.activation == ActivationKind::SwiGLU)
        t.split += tokens * f * e * 3;
    else
        t.split += tokens * f * e * 2;
    // Softmax output, its dropout mask and the dropout output, per head: a s^2 b each.
    const double scores = double(spec.heads) * sequence * double(sequence) * microbatch;
    t.attentionCore = scores * (e + (dropout ? mask + e : 0.0));
    // A fused kernel keeps no s^2 tensor: its backward recomputes the scores from Q, K and V
    // (counted above) with the log-sum-exp of each row (fp32) and the dropout's random seed.
    if (attention == AttentionKernel::Fused)
        t.attentionCore = double(spec.heads) * sequence * double(microbatch) * 4.0;
    return t;
}

double blockActivationBytes(const TransformerSpec &spec, int microbatch, int sequence,
                            int tensorParallel, const TrainingRecipe &recipe, int bytesPerElement,
                            bool experts)
{
    const double t = tensorParallel;
    const double replicatedShare = recipe.sequenceParallel ? t : 1.0;
    if (recipe.recomputation == Recomputation::Full)
        return double(microbatch) * sequence * spec.hidden * bytesPerElement / replicatedShare;
    const LayerActivationTerms terms =
        blockActivationTerms(spec, microbatch, sequence, bytesPerElement, recipe.attention,
                             experts, recipe.expertLoad());
    double bytes = terms.replicated / replicatedShare + terms.split / t + terms.expertTokens;
    if (recipe.recomputation == Recomputation::None)
        bytes += terms.attentionCore / t;
    return bytes;
}

} // namespace phaze
