#pragma once

// A located error or warning about user input: file, line/column (1-based, 0 when unknown),
// the path of the offending field (e.g. "training.hbm_sizes[1]") and a message.

#include <string>
#include <vector>

namespace phaze {

struct Diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string path;
    std::string message;

    // "gpt3.yaml:14:7: training.hbm_sizes[1]: message"
    std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

std::string formatAll(const Diagnostics &diagnostics);

} // namespace phaze
