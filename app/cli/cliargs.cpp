#include "app/cli/cliargs.h"

#include <algorithm>
#include <charconv>

namespace phaze::cli {

CliArgs::CliArgs(const std::vector<std::string> &args, const std::set<std::string> &flags,
                 const std::set<std::string> &options, const std::vector<std::string> &outputs)
    : m_outputs(outputs)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a.size() < 2 || a[0] != '-' || a == "-") {
            m_positional.push_back(a);
            continue;
        }
        std::string name = a;
        std::optional<std::string> inlineValue;
        if (const auto eq = a.find('='); eq != std::string::npos) {
            name = a.substr(0, eq);
            inlineValue = a.substr(eq + 1);
        }
        if (flags.count(name) && !inlineValue) {
            m_flags.insert(name);
        } else if (options.count(name) ||
                   std::find(outputs.begin(), outputs.end(), name) != outputs.end()) {
            if (inlineValue) {
                m_values[name] = *inlineValue;
            } else if (i + 1 < args.size()) {
                m_values[name] = args[++i];
            } else {
                m_error = "option " + name + " needs a value";
                return;
            }
        } else {
            m_error = "unknown option " + name;
            return;
        }
    }
    m_error = stdoutConflict(this->outputs());
}

OutputPaths CliArgs::outputs() const
{
    OutputPaths out;
    for (const std::string &option : m_outputs)
        out.emplace_back(option, value(option));
    return out;
}

std::ostream &CliArgs::humanOutput() const
{
    return phaze::cli::humanOutput(outputs());
}

std::optional<std::string> CliArgs::value(const std::string &option) const
{
    auto it = m_values.find(option);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::optional<int> CliArgs::intValue(const std::string &option, int min, int max)
{
    auto text = value(option);
    if (!text)
        return std::nullopt;
    int v = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || ptr != text->data() + text->size() || v < min || v > max) {
        if (m_error.empty())
            m_error = option + " expects a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", got \"" + *text + "\"";
        return std::nullopt;
    }
    return v;
}

} // namespace phaze::cli
