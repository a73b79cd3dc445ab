#pragma once

// Minimal command-line parsing for the `phaze` subcommands: positional arguments, flags and
// options with a value ("--tp 8" or "--tp=8"). Unknown options are errors, not ignored.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace phaze::cli {

class CliArgs
{
public:
    CliArgs(const std::vector<std::string> &args, const std::set<std::string> &flags,
            const std::set<std::string> &options);

    bool ok() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    bool has(const std::string &flag) const { return m_flags.count(flag) > 0; }
    std::optional<std::string> value(const std::string &option) const;
    // An integer option within [min, max]; records an error when malformed.
    std::optional<int> intValue(const std::string &option, int min, int max);
    const std::vector<std::string> &positional() const { return m_positional; }

private:
    std::set<std::string> m_flags;
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
    std::string m_error;
};

} // namespace phaze::cli
