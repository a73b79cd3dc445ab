#include "core/evaluation/preparedproject.h"

namespace phaze {

const ModelVariant *PreparedModel::variant(int microbatch, int width) const
{
    for (const ModelVariant &v : variants)
        if (v.microbatch == microbatch && v.width == width)
            return &v;
    return nullptr;
}

std::vector<const ModelVariant *> PreparedModel::variantsOf(int microbatch) const
{
    std::vector<const ModelVariant *> out;
    for (const ModelVariant &v : variants)
        if (v.microbatch == microbatch)
            out.push_back(&v);
    return out;
}

} // namespace phaze
