// The transformer block slice (Megatron tensor parallelism) and the slice dimensions.

#include "core/model/transformerlayers.h"

namespace phaze {

SliceDims SliceDims::of(const TransformerSpec &spec, int microbatch, int sequence,
                        int tensorParallel, int bytesPerElement, int expertParallel,
                        int contextParallel)
{
    SliceDims d;
    d.microbatch = microbatch;
    d.sequence = sequence / contextParallel;
    d.keys = sequence;
    d.tokens = d.microbatch * d.sequence;
    d.hidden = spec.hidden;
    d.headsSlice = spec.heads / tensorParallel;
    d.headDim = spec.headWidth();
    // Grouped-query attention: kv heads of K and V, each shared by heads / kv query heads; a
    // tensor-parallel slice holds kv / t of them (Megatron-LM's query groups).
    d.kvSlice = std::int64_t(spec.keyValueHeads() / tensorParallel) * d.headDim;
    d.querySlice = d.headsSlice * d.headDim;
    d.ffnSlice = spec.ffn / tensorParallel;
    d.expertParallel = expertParallel;
    if (spec.hasExperts()) {
        const MixtureOfExperts &m = spec.moe;
        d.localExperts = m.experts / expertParallel;
        // The ep devices of a group each route b s k token copies; each expert receives its
        // 1 / E share of the group's ep b s k (balanced routing: the load-imbalance factor of
        // the recipe scales the busiest device's time, not the graph).
        const std::int64_t copies = d.tokens * m.expertsPerToken * expertParallel;
        d.tokensPerExpert = (copies + m.experts - 1) / m.experts;
        d.expertFfnSlice = m.expertFfn / tensorParallel;
        d.sharedFfnSlice = m.sharedFfn / tensorParallel;
    }
    d.embedding = spec.embeddingDim > 0 ? spec.embeddingDim : spec.hidden;
    d.vocabSlice = (spec.vocab + tensorParallel - 1) / tensorParallel;
    d.bytes = bytesPerElement;
    d.tensorParallel = tensorParallel;
    return d;
}

bool usesDropout(const TransformerSpec &spec)
{
    return spec.norm != NormKind::RMSNorm;
}

std::int64_t normParameters(const TransformerSpec &spec, std::int64_t hidden)
{
    // LayerNorm has a gain and a bias per channel, RMSNorm only a gain.
    return spec.norm == NormKind::LayerNorm ? 2 * hidden : hidden;
}

namespace {

class BlockSliceBuilder
{
public:
    BlockSliceBuilder(const TransformerSpec &spec, const SliceDims &dims, bool experts)
        : m_spec(spec), m_d(dims), m_g(dims.bytes), m_experts(experts)
    {
    }

    LayerDagBuilder build()
    {
        const std::int64_t tokensHidden = m_d.tokens * m_d.hidden;
        // An explicit zero-cost input node, so that the residual connection is an edge.
        const int input = m_g.noOp("input", OpKind::View, tokensHidden, {});
        if (m_spec.preNorm) {
            const int attnOut = attention(norm("ln1", input));
            const int mid = residual("attn", attnOut, input);
            const int mlpOut = m_experts ? expertMlp(norm("ln2", mid)) : mlp(norm("ln2", mid));
            residual("mlp", mlpOut, mid);
        } else {
            // Post-LN: each sublayer's residual sum is normalised, and that is the next input.
            const int attnOut = attention(input);
            const int mid = norm("ln1", residual("attn", attnOut, input));
            const int mlpOut = m_experts ? expertMlp(mid) : mlp(mid);
            norm("ln2", residual("mlp", mlpOut, mid));
        }
        return std::move(m_g);
    }

private:
    int norm(const char *name, int input)
    {
        const std::int64_t weights = normParameters(m_spec, m_d.hidden);
        m_g.addReplicated(weights);
        const OpKind kind =
            m_spec.norm == NormKind::LayerNorm ? OpKind::LayerNorm : OpKind::RMSNorm;
        return m_g.vector(name, kind, m_d.tokens * m_d.hidden, {input}, 1, weights);
    }

    // Megatron's "f" before a column-parallel GEMM (identity forward, all-reduce backward).
    int enterParallel(const std::string &prefix, int input)
    {
        if (m_d.tensorParallel == 1) {
            return input;
        }
        return m_g.collective(prefix + ".f", OpKind::TpIdentity, m_d.tokens * m_d.hidden,
                              m_d.tensorParallel, {input});
    }

    // Megatron's "g" after a row-parallel GEMM: sums the partial b x s x h outputs.
    int leaveParallel(const std::string &prefix, int input)
    {
        if (m_d.tensorParallel == 1) {
            return input;
        }
        return m_g.collective(prefix + ".g", OpKind::AllReduce, m_d.tokens * m_d.hidden,
                              m_d.tensorParallel, {input});
    }

    // Column-parallel linear: weights and bias split by output columns.
    int columnLinear(const std::string &name, std::int64_t k, std::int64_t nSlice, int input)
    {
        const std::int64_t weights = k * nSlice + (m_spec.bias ? nSlice : 0);
        m_g.addSharded(weights);
        return m_g.linear(name, m_d.tokens, k, nSlice, weights, {input});
    }

    // Row-parallel linear: weights split by input rows; the bias is replicated and added after
    // the all-reduce, folded into the next element-wise operator (see residual()).
    int rowLinear(const std::string &name, std::int64_t kSlice, int input)
    {
        const std::int64_t weights = kSlice * m_d.hidden;
        m_g.addSharded(weights);
        if (m_spec.bias) {
            m_g.addReplicated(m_d.hidden);
        }
        return m_g.linear(name, m_d.tokens, kSlice, m_d.hidden, weights, {input});
    }

    int attention(int input)
    {
        const SliceDims &d = m_d;
        const std::int64_t heads = d.microbatch * d.headsSlice;
        const std::int64_t scoreElements = heads * d.sequence * d.keys;
        // Q is h / t wide, K and V kv / t heads each (all three h / t without grouping). The
        // scores and the context run per query head, K and V broadcast over each group.
        const std::int64_t qkvWidth = d.querySlice + 2 * d.kvSlice;
        const int qkv =
            columnLinear("attn.qkv", d.hidden, qkvWidth, enterParallel("attn", input));
        const int split = m_g.noOp("attn.split", OpKind::Split, d.tokens * qkvWidth, {qkv});
        int queryKey = split;
        if (m_spec.qkNorm) {
            // Qwen3: RMSNorm over each head of Q and of K, one head-wide gain each.
            m_g.addReplicated(2 * d.headDim);
            queryKey = m_g.vector("attn.qk_norm", OpKind::RMSNorm,
                                  d.tokens * (d.querySlice + d.kvSlice), {split}, 1,
                                  2 * d.headDim);
        }
        if (m_spec.positions == PositionKind::Rotary) {
            queryKey = m_g.vector("attn.rotary", OpKind::Rotary,
                                  d.tokens * (d.querySlice + d.kvSlice), {queryKey});
        }
        if (d.fusedAttention)
            return leaveParallel("attn", rowLinear("attn.proj", d.querySlice,
                                                   fusedCore(heads, queryKey, split)));
        const int scores = m_g.batchedMatMul(
            "attn.scores", GemmShape{heads, d.sequence, d.headDim, d.keys}, {queryKey});
        const int scale = m_g.vector("attn.scale", OpKind::Scale, scoreElements, {scores});
        // Causal (decoder) or padding (encoder) mask: the same cost either way.
        const int mask = m_g.vector("attn.mask", OpKind::Mask, scoreElements, {scale});
        int probs = m_g.vector("attn.softmax", OpKind::Softmax, scoreElements, {mask});
        if (usesDropout(m_spec)) {
            probs = m_g.vector("attn.dropout", OpKind::Dropout, scoreElements, {probs});
        }
        const int context = m_g.batchedMatMul(
            "attn.context", GemmShape{heads, d.sequence, d.keys, d.headDim}, {probs, split});
        const int merged =
            m_g.noOp("attn.merge", OpKind::Transpose, d.tokens * d.querySlice, {context});
        return leaveParallel("attn", rowLinear("attn.proj", d.querySlice, merged));
    }

    // FlashAttention (Dao et al. 2022): the scores, their softmax and dropout and the product
    // with V run tile by tile on chip, one kernel; only Q, K, V, the output and the softmax's
    // log-sum-exp per row (fp32) cross HBM. A causal model computes the lower triangle only:
    // on average half the keys per query, so half the score and context FLOPs (with context
    // parallelism too: the sequence is split in 2 cp chunks, each device taking one from each
    // end, so every device's queries see half of the keys on average).
    int fusedCore(std::int64_t heads, int queryKey, int values)
    {
        const SliceDims &d = m_d;
        const std::int64_t keys = m_spec.causal ? (d.keys + 1) / 2 : d.keys;
        const std::int64_t scoreElements = heads * d.sequence * keys;
        std::vector<PrimitiveOp> parts;
        parts.push_back(m_g.batchedMatMulPart(GemmShape{heads, d.sequence, d.headDim, keys}));
        parts.push_back(m_g.vectorPart(OpKind::Scale, scoreElements));
        if (m_spec.causal)
            parts.push_back(m_g.vectorPart(OpKind::Mask, scoreElements));
        parts.push_back(m_g.vectorPart(OpKind::Softmax, scoreElements));
        if (usesDropout(m_spec))
            parts.push_back(m_g.vectorPart(OpKind::Dropout, scoreElements));
        parts.push_back(m_g.batchedMatMulPart(GemmShape{heads, d.sequence, keys, d.headDim}));
        const std::int64_t q = d.tokens * d.querySlice * d.bytes;
        // K and V of every key: the device's own and, with context parallelism, the chunks the
        // ring brings from the others (received into HBM, read by the kernel).
        const std::int64_t kv = d.microbatch * d.keys * d.kvSlice * d.bytes;
        const std::int64_t logSumExp = heads * d.sequence * 4;
        const int core = m_g.fusedKernel("attn.core", std::move(parts),
                                         q + 2 * kv + q + logSumExp, {queryKey, values});
        return m_g.noOp("attn.merge", OpKind::Transpose, d.tokens * d.querySlice, {core});
    }

    // A SwiGLU MLP of width ffnSlice per slice (dense or shared experts): gate and up
    // column-parallel, their SiLU product, down row-parallel (its output still partial).
    int gatedMlp(const std::string &prefix, std::int64_t ffnSlice, int in)
    {
        const SliceDims &d = m_d;
        const std::int64_t elements = d.tokens * ffnSlice;
        const int gate = columnLinear(prefix + ".gate", d.hidden, ffnSlice, in);
        const int up = columnLinear(prefix + ".up", d.hidden, ffnSlice, in);
        const int silu = m_g.vector(prefix + ".silu", OpKind::Silu, elements, {gate});
        const int hidden = m_g.vector(prefix + ".mul", OpKind::Mul, elements, {silu, up}, 2);
        return rowLinear(prefix + ".down", ffnSlice, hidden);
    }

    // The mixture-of-experts MLP (Megatron-Core's MoE layer): a replicated router and its
    // softmax pick k experts per token; the token copies are permuted into expert order and,
    // with ep > 1, dispatched to the experts' devices by an all-to-all; each local expert runs
    // its SwiGLU over its tokens (one grouped GEMM per matrix); the combine all-to-all brings
    // the results back, they are un-permuted and summed with the router's weights; shared
    // experts run beside on every token. The tensor-parallel slices of an expert sum their
    // partial outputs in the layer's one all-reduce, as the dense MLP does.
    int expertMlp(int input)
    {
        const SliceDims &d = m_d;
        const MixtureOfExperts &moe = m_spec.moe;
        const std::int64_t experts = moe.experts;
        const std::int64_t copies = d.tokens * moe.expertsPerToken * d.hidden;
        const int in = enterParallel("moe", input);
        m_g.addReplicated(d.hidden * experts);
        const int logits =
            m_g.linear("moe.router", d.tokens, d.hidden, experts, d.hidden * experts, {in});
        const int probs =
            m_g.vector("moe.router_softmax", OpKind::Softmax, d.tokens * experts, {logits});
        int tokens = m_g.vector("moe.permute", OpKind::Permute, copies, {in, probs});
        if (d.expertParallel > 1)
            tokens = m_g.collective("moe.dispatch", OpKind::AllToAll, copies, d.expertParallel,
                                    {tokens});
        const std::int64_t g = d.localExperts;
        const std::int64_t m = d.tokensPerExpert;
        const std::int64_t f = d.expertFfnSlice;
        const std::int64_t matrix = g * d.hidden * f; // one matrix of every local expert
        m_g.addExpert(3 * matrix);
        const int gate = m_g.groupedLinear("moe.expert.gate", g, m, d.hidden, f, matrix, {tokens});
        const int up = m_g.groupedLinear("moe.expert.up", g, m, d.hidden, f, matrix, {tokens});
        const int silu = m_g.vector("moe.expert.silu", OpKind::Silu, g * m * f, {gate});
        const int product = m_g.vector("moe.expert.mul", OpKind::Mul, g * m * f, {silu, up}, 2);
        int out = m_g.groupedLinear("moe.expert.down", g, m, f, d.hidden, matrix, {product});
        if (d.expertParallel > 1)
            out = m_g.collective("moe.combine", OpKind::AllToAll, copies, d.expertParallel, {out});
        out = m_g.vector("moe.unpermute", OpKind::Permute, copies, {out});
        // The weighted sum over each token's k results: reads k rows, writes one.
        out = m_g.vector("moe.weighted_sum", OpKind::Mul, d.tokens * d.hidden, {out, probs},
                         int(moe.expertsPerToken));
        if (d.sharedFfnSlice > 0) {
            const int shared = gatedMlp("moe.shared", d.sharedFfnSlice, in);
            out = m_g.vector("moe.shared_add", OpKind::Add, d.tokens * d.hidden, {out, shared}, 2);
        }
        return leaveParallel("moe", out);
    }

    int mlp(int input)
    {
        const SliceDims &d = m_d;
        const std::int64_t elements = d.tokens * d.ffnSlice;
        const int in = enterParallel("mlp", input);
        if (m_spec.activation == ActivationKind::SwiGLU)
            return leaveParallel("mlp", gatedMlp("mlp", d.ffnSlice, in));
        const int fc1 = columnLinear("mlp.fc1", d.hidden, d.ffnSlice, in);
        const OpKind act = m_spec.activation == ActivationKind::Relu ? OpKind::Relu : OpKind::Gelu;
        const int hidden = m_g.vector("mlp.act", act, elements, {fc1});
        return leaveParallel("mlp", rowLinear("mlp.fc2", d.ffnSlice, hidden));
    }

    // Output dropout and residual add of a sublayer; the row-parallel GEMM's bias is read here.
    int residual(const std::string &prefix, int sublayer, int skip)
    {
        const std::int64_t elements = m_d.tokens * m_d.hidden;
        std::int64_t bias = m_spec.bias ? m_d.hidden : 0;
        int x = sublayer;
        if (usesDropout(m_spec)) {
            const std::string name = prefix == "attn" ? "attn.out_dropout" : prefix + ".dropout";
            x = m_g.vector(name, OpKind::Dropout, elements, {x}, 1, bias);
            bias = 0;
        }
        return m_g.vector(prefix + ".residual", OpKind::Add, elements, {x, skip}, 2, bias);
    }

    const TransformerSpec &m_spec;
    SliceDims m_d;
    LayerDagBuilder m_g;
    bool m_experts = false;
};

} // namespace

LayerDagBuilder buildBlockSlice(const TransformerSpec &spec, const SliceDims &dims, bool experts)
{
    return BlockSliceBuilder(spec, dims, experts).build();
}

} // namespace phaze
