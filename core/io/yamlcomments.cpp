// Carrying comments from a hand-written YAML file to the program's re-emitted text of it. Both
// texts are read line by line with the same small scanner, which gives every line that starts
// a key or a sequence item its key path ("training.hbm_sizes", "models[=bert-large]"); a
// comment block goes to the next such line of the original, and reappears before the line of
// the emitted text with the same path. The scanner knows enough YAML for the files people write
// (block and flow collections, quotes, block scalars); where it errs, the parse check at the end
// keeps the emitted text, so a comment can be lost but never a value.

#include "core/io/yamlcomments.h"

#include <cstddef>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/base/trimblanks.h"

namespace phaze {
namespace {

enum class LineKind {
    Blank,
    Comment, // a line holding only a comment
    Node,    // a line that starts a key or a sequence item
    Other,   // block-scalar content, a flow collection's continuation, a document marker
};

struct ScannedLine {
    LineKind kind = LineKind::Other;
    int indent = 0;
    std::string comment;  // Comment and Node: the comment from its '#', or ""
    std::string path;     // Node: the key path, items named where they can be
    std::string position; // Node: the key path with every item by its position
};

// One open key or sequence item above the current line.
struct Frame {
    int indent = 0;
    std::string component; // "key", or for an item "[=name]" (else its position)
    std::string position;  // "key" or "[#index]"
    bool item = false;
    int items = 0; // sequence items seen under this frame, for positional names
};

std::string unquote(std::string_view s)
{
    s = trimBlanks(s);
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        return std::string(s.substr(1, s.size() - 2));
    return std::string(s);
}

// Where a line's content ends (its comment starts), its first mapping colon and its change of
// flow-collection depth. Quotes open only where a scalar can start, so "it's" is plain text.
struct ContentScan {
    std::size_t comment = std::string_view::npos;
    std::size_t colon = std::string_view::npos;
    int flowDelta = 0;
};

ContentScan scanContent(std::string_view s)
{
    ContentScan scan;
    char quote = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const char before = i == 0 ? ' ' : s[i - 1];
        if (quote) {
            if (quote == '"' && c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
            continue;
        }
        const bool tokenStart = before == ' ' || before == '\t' || before == '[' || before == '{' ||
                                before == ',' || before == ':';
        if ((c == '"' || c == '\'') && tokenStart) {
            quote = c;
        } else if (c == '#' && (before == ' ' || before == '\t' || i == 0)) {
            scan.comment = i;
            return scan;
        } else if (c == '[' || c == '{') {
            ++scan.flowDelta;
        } else if (c == ']' || c == '}') {
            --scan.flowDelta;
        } else if (c == ':' && scan.flowDelta == 0 && scan.colon == std::string_view::npos &&
                   (i + 1 == s.size() || s[i + 1] == ' ' || s[i + 1] == '\t')) {
            scan.colon = i;
        }
    }
    return scan;
}

// The `name:` of a flow map such as "{name: gpt2, seq: 512}", or "".
std::string flowMapName(std::string_view value)
{
    const std::size_t at = value.find("name:");
    if (value.empty() || value.front() != '{' || at == std::string_view::npos)
        return {};
    std::string_view rest = value.substr(at + 5);
    rest = rest.substr(0, rest.find_first_of(",}"));
    return unquote(rest);
}

std::string joinPath(const std::vector<Frame> &stack, bool byPosition)
{
    std::string path;
    for (const Frame &f : stack) {
        if (!path.empty() && !f.item)
            path += '.';
        path += byPosition ? f.position : f.component;
    }
    return path;
}

// A line that starts no key.
ScannedLine unnamed(LineKind kind, int indent, std::string comment = {})
{
    return {kind, indent, std::move(comment), {}, {}};
}

class LineScanner
{
public:
    ScannedLine scan(std::string_view line)
    {
        int indent = 0;
        while (indent < static_cast<int>(line.size()) && line[indent] == ' ')
            ++indent;
        const bool blank = trimBlanks(line).empty();
        if (m_blockParent >= 0) {
            if (blank || indent > m_blockParent)
                return unnamed(LineKind::Other, indent);
            m_blockParent = -1;
        }
        if (m_flowDepth > 0) {
            m_flowDepth += scanContent(line).flowDelta;
            return unnamed(LineKind::Other, indent);
        }
        if (blank)
            return unnamed(LineKind::Blank, 0);
        std::string_view rest = line.substr(indent);
        if (rest.front() == '#')
            return unnamed(LineKind::Comment, indent, std::string(trimBlanks(rest)));
        if ((rest.substr(0, 3) == "---" || rest.substr(0, 3) == "...") &&
            (rest.size() == 3 || rest[3] == ' '))
            return unnamed(LineKind::Other, indent);
        return scanNode(line, indent);
    }

private:
    ScannedLine scanNode(std::string_view line, int indent)
    {
        const bool dash = isDash(line.substr(indent));
        while (!m_stack.empty() &&
               (m_stack.back().indent > indent ||
                (m_stack.back().indent == indent && (!dash || m_stack.back().item))))
            m_stack.pop_back();
        // One frame per dash ("- - x" opens two items), then the key if there is one.
        std::size_t col = indent;
        Frame *item = nullptr;
        while (isDash(line.substr(col))) {
            Frame frame{static_cast<int>(col), {}, {}, true, 0};
            const int index = m_stack.empty() ? m_rootItems++ : m_stack.back().items++;
            frame.position = "[#" + std::to_string(index) + "]";
            frame.component = frame.position;
            m_stack.push_back(frame);
            item = &m_stack.back();
            ++col;
            while (col < line.size() && line[col] == ' ')
                ++col;
        }
        const std::string_view content = line.substr(col);
        const ContentScan scan = scanContent(content);
        const std::string_view body = content.substr(0, scan.comment);
        std::string key;
        std::string_view value = trimBlanks(body);
        if (scan.colon != std::string_view::npos) {
            key = unquote(body.substr(0, scan.colon));
            value = trimBlanks(body.substr(scan.colon + 1));
        }
        if (item) {
            // Items are named by what identifies them, so that comments follow a model when
            // the list is reordered or one before it is removed.
            std::string name;
            if (!key.empty())
                name = key == "name" ? unquote(value) : std::string();
            else if (!value.empty() && value.front() != '{' && value.front() != '[')
                name = unquote(value);
            else
                name = flowMapName(value);
            if (!name.empty())
                item->component = "[=" + name + "]";
        }
        if (!key.empty())
            m_stack.push_back(Frame{static_cast<int>(col), key, key, false, 0});
        if (!value.empty() && (value.front() == '|' || value.front() == '>'))
            m_blockParent = m_stack.empty() ? indent : m_stack.back().indent;
        m_flowDepth = scan.flowDelta > 0 ? scan.flowDelta : 0;
        std::string comment;
        if (scan.comment != std::string_view::npos)
            comment = std::string(trimBlanks(content.substr(scan.comment)));
        return {LineKind::Node, indent, comment, joinPath(m_stack, false), joinPath(m_stack, true)};
    }

    static bool isDash(std::string_view s)
    {
        return !s.empty() && s.front() == '-' && (s.size() == 1 || s[1] == ' ');
    }

    std::vector<Frame> m_stack;
    int m_rootItems = 0;
    int m_blockParent = -1;
    int m_flowDepth = 0;
};

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

// The comments of one key of the original: the block before it (comment texts, "" for a blank
// line) and its end-of-line comment.
struct KeyComments {
    std::vector<std::string> before;
    std::string trailing;
    bool placed = false;
};

struct OriginalComments {
    std::vector<std::string> header; // before the first key
    std::vector<KeyComments> keys;   // in the original's order
    // Indices into `keys` by path, and by positional path for items written another way
    // ("- {huggingface: ...}" is written back as "- {name: ..., huggingface: ...}").
    std::map<std::string, std::vector<std::size_t>> byPath, byPosition;
    std::vector<std::string> footer; // after the last key
    bool any = false;

    KeyComments *take(const ScannedLine &line)
    {
        for (const bool positional : {false, true}) {
            const auto &index = positional ? byPosition : byPath;
            const auto found = index.find(positional ? line.position : line.path);
            if (found == index.end())
                continue;
            for (const std::size_t k : found->second)
                if (!keys[k].placed) {
                    keys[k].placed = true;
                    return &keys[k];
                }
        }
        return nullptr;
    }
};

OriginalComments collectComments(std::string_view original)
{
    OriginalComments out;
    LineScanner scanner;
    std::vector<std::string> pending;
    bool seenNode = false;
    for (const std::string_view line : splitLines(original)) {
        const ScannedLine s = scanner.scan(line);
        switch (s.kind) {
        case LineKind::Blank:
            pending.emplace_back();
            break;
        case LineKind::Comment:
            pending.push_back(s.comment);
            out.any = true;
            break;
        case LineKind::Node:
            out.any = out.any || !s.comment.empty();
            if (!seenNode) {
                out.header = std::move(pending);
                pending = {};
                seenNode = true;
            }
            out.byPath[s.path].push_back(out.keys.size());
            out.byPosition[s.position].push_back(out.keys.size());
            out.keys.push_back(KeyComments{std::move(pending), s.comment, false});
            pending = {};
            break;
        case LineKind::Other:
            break;
        }
    }
    while (!pending.empty() && pending.back().empty())
        pending.pop_back();
    out.footer = std::move(pending);
    return out;
}

bool sameNode(const YAML::Node &a, const YAML::Node &b)
{
    if (a.Type() != b.Type() || a.Tag() != b.Tag())
        return false;
    switch (a.Type()) {
    case YAML::NodeType::Scalar:
        return a.Scalar() == b.Scalar();
    case YAML::NodeType::Sequence:
    case YAML::NodeType::Map: {
        if (a.size() != b.size())
            return false;
        auto j = b.begin();
        for (auto i = a.begin(); i != a.end(); ++i, ++j) {
            if (a.IsSequence() ? !sameNode(*i, *j)
                               : !sameNode(i->first, j->first) || !sameNode(i->second, j->second))
                return false;
        }
        return true;
    }
    default:
        return true;
    }
}

bool sameDocument(const std::string &a, const std::string &b)
{
    try {
        return sameNode(YAML::Load(a), YAML::Load(b));
    } catch (const YAML::Exception &) {
        return false;
    }
}

void appendLines(std::string &out, const std::vector<std::string> &lines, int indent)
{
    for (const std::string &line : lines) {
        if (!line.empty())
            out.append(static_cast<std::size_t>(indent), ' ').append(line);
        out += '\n';
    }
}

} // namespace

std::string carryYamlComments(const std::string &original, const std::string &emitted)
{
    OriginalComments comments = collectComments(original);
    if (!comments.any)
        return emitted;
    std::string out;
    appendLines(out, comments.header, 0);
    LineScanner scanner;
    for (const std::string_view line : splitLines(emitted)) {
        const ScannedLine s = scanner.scan(line);
        const KeyComments *key = s.kind == LineKind::Node ? comments.take(s) : nullptr;
        if (key)
            appendLines(out, key->before, s.indent);
        out.append(line);
        if (key && !key->trailing.empty())
            out.append("  ").append(key->trailing);
        out += '\n';
    }
    appendLines(out, comments.footer, 0);
    return sameDocument(out, emitted) ? out : emitted;
}

} // namespace phaze
