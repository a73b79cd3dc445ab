// The embedding and head slices of a transformer. Both are vocabulary-parallel under tensor
// parallelism: each slice holds ceil(V/t) rows of the token table (and of the LM head).

#include "core/model/transformerlayers.h"

namespace phaze {

namespace {

OpKind normKind(const TransformerSpec &spec)
{
    return spec.norm == NormKind::LayerNorm ? OpKind::LayerNorm : OpKind::RMSNorm;
}

} // namespace

LayerDagBuilder buildEmbeddingSlice(const TransformerSpec &spec, const SliceDims &d)
{
    LayerDagBuilder g(d.bytes);
    const std::int64_t tokensHidden = d.tokens * d.hidden;
    g.addSharded(d.vocabSlice * d.embedding);
    int x = g.noOp("embed.tokens", OpKind::Embedding, d.tokens * d.embedding, {});
    if (d.tensorParallel > 1) {
        // Each slice finds only the tokens of its vocabulary range; the sum completes the lookup.
        x = g.collective("embed.all_reduce", OpKind::AllReduce, d.tokens * d.embedding,
                         d.tensorParallel, {x});
    }
    if (spec.embeddingDim > 0) {
        // OPT-350m: a bias-free projection up to the hidden width, held whole by every slice.
        const std::int64_t weights = d.embedding * d.hidden;
        g.addReplicated(weights);
        x = g.linear("embed.project_in", d.tokens, d.embedding, d.hidden, weights, {x});
    }
    if (spec.positions == PositionKind::Learned && spec.maxPositions > 0) {
        g.addReplicated(std::int64_t(spec.maxPositions) * d.hidden);
        const int positions = g.noOp("embed.positions", OpKind::Embedding, tokensHidden, {});
        x = g.vector("embed.add_positions", OpKind::Add, tokensHidden, {x, positions}, 2);
    }
    if (spec.tokenTypes > 0) {
        g.addReplicated(std::int64_t(spec.tokenTypes) * d.hidden);
        const int types = g.noOp("embed.token_types", OpKind::Embedding, tokensHidden, {});
        x = g.vector("embed.add_token_types", OpKind::Add, tokensHidden, {x, types}, 2);
    }
    if (spec.bertHeads && !spec.preNorm) {
        // Post-LN BERT normalises the embedding sum; pre-LN (Megatron) BERT does not.
        const std::int64_t weights = normParameters(spec, d.hidden);
        g.addReplicated(weights);
        x = g.vector("embed.norm", normKind(spec), tokensHidden, {x}, 1, weights);
    }
    if (usesDropout(spec)) {
        g.vector("embed.dropout", OpKind::Dropout, tokensHidden, {x});
    }
    return g;
}

LayerDagBuilder buildHeadSlice(const TransformerSpec &spec, const SliceDims &d)
{
    LayerDagBuilder g(d.bytes);
    const std::int64_t h = d.hidden;
    const std::int64_t tokensHidden = d.tokens * h;
    int x = LayerDagBuilder::kNoInput; // the last block's output
    if (spec.finalNorm) {
        const std::int64_t weights = normParameters(spec, h);
        g.addReplicated(weights);
        x = g.vector("head.norm", normKind(spec), tokensHidden, {x}, 1, weights);
    }
    if (spec.bertHeads) {
        // BERT's pre-training heads are plain (replicated) layers, as in Megatron-LM.
        // Next-sentence prediction: pooler on the first token of each sequence (m = b).
        const std::int64_t b = d.microbatch;
        const int first = g.noOp("head.first_token", OpKind::View, b * h, {x});
        g.addReplicated(h * h + h);
        const int pooler = g.linear("head.pooler", b, h, h, h * h + h, {first});
        // The pooler's tanh has no kind of its own; GELU stands in (same vector-core cost).
        const int pooled = g.vector("head.pooler_act", OpKind::Gelu, b * h, {pooler});
        g.addReplicated(2 * h + 2);
        const int nsp = g.linear("head.nsp", b, h, 2, 2 * h + 2, {pooled});
        g.vector("head.nsp_loss", OpKind::CrossEntropy, b * 2, {nsp});
        // Masked-LM transform before the decoder.
        g.addReplicated(h * h + h);
        x = g.linear("head.transform", d.tokens, h, h, h * h + h, {x});
        x = g.vector("head.transform_act", OpKind::Gelu, tokensHidden, {x});
        g.addReplicated(2 * h);
        x = g.vector("head.transform_norm", OpKind::LayerNorm, tokensHidden, {x}, 1, 2 * h);
    }
    if (spec.embeddingDim > 0) {
        const std::int64_t weights = h * d.embedding;
        g.addReplicated(weights);
        x = g.linear("head.project_out", d.tokens, h, d.embedding, weights, {x});
    }
    if (d.tensorParallel > 1) {
        x = g.collective("head.f", OpKind::TpIdentity, d.tokens * d.embedding, d.tensorParallel,
                         {x});
    }
    // LM head, split by vocabulary rows. Tied weights are the token table's: held, not owned.
    const std::int64_t weights = d.vocabSlice * d.embedding;
    const std::int64_t bias = spec.bertHeads ? d.vocabSlice : 0; // BERT's decoder bias
    if (spec.tiedHead) {
        g.addTied(weights);
    } else {
        g.addSharded(weights);
    }
    g.addSharded(bias);
    x = g.linear("head.lm", d.tokens, d.embedding, d.vocabSlice, weights + bias, {x});
    // The loss keeps the vocabulary-slice probabilities for the backward pass.
    x = g.vector("head.loss", OpKind::CrossEntropy, d.tokens * d.vocabSlice, {x});
    if (d.tensorParallel > 1) {
        // Vocabulary-parallel softmax: per-token max and sum of exponentials across slices.
        g.collective("head.all_reduce", OpKind::AllReduce, 2 * d.tokens, d.tensorParallel, {x});
    }
    return g;
}

} // namespace phaze
