#pragma once

// Minimal command-line parsing for the `phaze` subcommands: positional arguments, flags and
// options with a value ("--tp 8" or "--tp=8"). Unknown options are errors, not ignored.
// Output options (a path, or "-" for stdout) are declared apart so that the stdout rule of
// outputfile.h holds for every subcommand: at most one of them may be "-", and the human text
// then goes to stderr.

#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/cli/outputfile.h"

namespace phaze::cli {

class CliArgs
{
public:
    // `outputs` take a value like `options`; two of them given "-" is an error.
    CliArgs(const std::vector<std::string> &args, const std::set<std::string> &flags,
            const std::set<std::string> &options, const std::vector<std::string> &outputs = {});

    bool ok() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    bool has(const std::string &flag) const { return m_flags.count(flag) > 0; }
    std::optional<std::string> value(const std::string &option) const;
    // An integer option within [min, max]; records an error when malformed.
    std::optional<int> intValue(const std::string &option, int min, int max);
    const std::vector<std::string> &positional() const { return m_positional; }
    // The output options with their paths, in declaration order.
    OutputPaths outputs() const;
    // std::cerr when an output is "-" (stdout then carries that document alone), else std::cout.
    std::ostream &humanOutput() const;

private:
    std::set<std::string> m_flags;
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
    std::vector<std::string> m_outputs;
    std::string m_error;
};

} // namespace phaze::cli
