// The transformer block slice (Megatron tensor parallelism) and the slice dimensions.

#include "core/model/transformerlayers.h"

namespace phaze {

SliceDims SliceDims::of(const TransformerSpec &spec, int microbatch, int sequence,
                        int tensorParallel, int bytesPerElement)
{
    SliceDims d;
    d.microbatch = microbatch;
    d.sequence = sequence;
    d.tokens = d.microbatch * d.sequence;
    d.hidden = spec.hidden;
    d.headsSlice = spec.heads / tensorParallel;
    d.headDim = spec.hidden / spec.heads;
    // Grouped-query attention: kv heads of K and V, each shared by heads / kv query heads; a
    // tensor-parallel slice holds kv / t of them (Megatron-LM's query groups).
    d.kvSlice = std::int64_t(spec.keyValueHeads() / tensorParallel) * d.headDim;
    d.hiddenSlice = spec.hidden / tensorParallel;
    d.ffnSlice = spec.ffn / tensorParallel;
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
    BlockSliceBuilder(const TransformerSpec &spec, const SliceDims &dims)
        : m_spec(spec), m_d(dims), m_g(dims.bytes)
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
            const int mlpOut = mlp(norm("ln2", mid));
            residual("mlp", mlpOut, mid);
        } else {
            // Post-LN: each sublayer's residual sum is normalised, and that is the next input.
            const int attnOut = attention(input);
            const int mid = norm("ln1", residual("attn", attnOut, input));
            const int mlpOut = mlp(mid);
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
    int columnLinear(const char *name, std::int64_t k, std::int64_t nSlice, int input)
    {
        const std::int64_t weights = k * nSlice + (m_spec.bias ? nSlice : 0);
        m_g.addSharded(weights);
        return m_g.linear(name, m_d.tokens, k, nSlice, weights, {input});
    }

    // Row-parallel linear: weights split by input rows; the bias is replicated and added after
    // the all-reduce, folded into the next element-wise operator (see residual()).
    int rowLinear(const char *name, std::int64_t kSlice, int input)
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
        const std::int64_t scoreElements = heads * d.sequence * d.sequence;
        // Q is h / t wide, K and V kv / t heads each (all three h / t without grouping). The
        // scores and the context run per query head, K and V broadcast over each group.
        const std::int64_t qkvWidth = d.hiddenSlice + 2 * d.kvSlice;
        const int qkv =
            columnLinear("attn.qkv", d.hidden, qkvWidth, enterParallel("attn", input));
        const int split = m_g.noOp("attn.split", OpKind::Split, d.tokens * qkvWidth, {qkv});
        int queryKey = split;
        if (m_spec.positions == PositionKind::Rotary) {
            queryKey = m_g.vector("attn.rotary", OpKind::Rotary,
                                  d.tokens * (d.hiddenSlice + d.kvSlice), {split});
        }
        if (d.fusedAttention)
            return leaveParallel("attn", rowLinear("attn.proj", d.hiddenSlice,
                                                   fusedCore(heads, queryKey, split)));
        const int scores = m_g.batchedMatMul(
            "attn.scores", GemmShape{heads, d.sequence, d.headDim, d.sequence}, {queryKey});
        const int scale = m_g.vector("attn.scale", OpKind::Scale, scoreElements, {scores});
        // Causal (decoder) or padding (encoder) mask: the same cost either way.
        const int mask = m_g.vector("attn.mask", OpKind::Mask, scoreElements, {scale});
        int probs = m_g.vector("attn.softmax", OpKind::Softmax, scoreElements, {mask});
        if (usesDropout(m_spec)) {
            probs = m_g.vector("attn.dropout", OpKind::Dropout, scoreElements, {probs});
        }
        const int context = m_g.batchedMatMul(
            "attn.context", GemmShape{heads, d.sequence, d.sequence, d.headDim}, {probs, split});
        const int merged =
            m_g.noOp("attn.merge", OpKind::Transpose, d.tokens * d.hiddenSlice, {context});
        return leaveParallel("attn", rowLinear("attn.proj", d.hiddenSlice, merged));
    }

    // FlashAttention (Dao et al. 2022): the scores, their softmax and dropout and the product
    // with V run tile by tile on chip, one kernel; only Q, K, V, the output and the softmax's
    // log-sum-exp per row (fp32) cross HBM. A causal model computes the lower triangle only:
    // on average half the keys per query, so half the score and context FLOPs.
    int fusedCore(std::int64_t heads, int queryKey, int values)
    {
        const SliceDims &d = m_d;
        const std::int64_t keys = m_spec.causal ? (d.sequence + 1) / 2 : d.sequence;
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
        const std::int64_t q = d.tokens * d.hiddenSlice * d.bytes;
        const std::int64_t kv = d.tokens * d.kvSlice * d.bytes;
        const std::int64_t logSumExp = heads * d.sequence * 4;
        const int core = m_g.fusedKernel("attn.core", std::move(parts),
                                         q + 2 * kv + q + logSumExp, {queryKey, values});
        return m_g.noOp("attn.merge", OpKind::Transpose, d.tokens * d.hiddenSlice, {core});
    }

    int mlp(int input)
    {
        const SliceDims &d = m_d;
        const std::int64_t elements = d.tokens * d.ffnSlice;
        const int in = enterParallel("mlp", input);
        int hidden = 0;
        const char *outName = "mlp.fc2";
        if (m_spec.activation == ActivationKind::SwiGLU) {
            const int gate = columnLinear("mlp.gate", d.hidden, d.ffnSlice, in);
            const int up = columnLinear("mlp.up", d.hidden, d.ffnSlice, in);
            const int silu = m_g.vector("mlp.silu", OpKind::Silu, elements, {gate});
            hidden = m_g.vector("mlp.mul", OpKind::Mul, elements, {silu, up}, 2);
            outName = "mlp.down";
        } else {
            const int fc1 = columnLinear("mlp.fc1", d.hidden, d.ffnSlice, in);
            const OpKind act =
                m_spec.activation == ActivationKind::Relu ? OpKind::Relu : OpKind::Gelu;
            hidden = m_g.vector("mlp.act", act, elements, {fc1});
        }
        return leaveParallel("mlp", rowLinear(outName, d.ffnSlice, hidden));
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
};

} // namespace

LayerDagBuilder buildBlockSlice(const TransformerSpec &spec, const SliceDims &dims)
{
    return BlockSliceBuilder(spec, dims).build();
}

} // namespace phaze
