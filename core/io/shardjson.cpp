#include "core/io/shardjson.h"

#include <nlohmann/json.hpp>

#include "core/io/documenttext.h"
#include "core/io/jsontext.h"

namespace phaze {

using nlohmann::json;

namespace {

json identityJson(const ShardIdentity &s)
{
    return json{{"search", s.search},
                {"index", s.index},
                {"count", s.count},
                {"candidates", s.candidates}};
}

} // namespace

std::string shardIdentityJson(const ShardIdentity &shard)
{
    return dumpJson(identityJson(shard));
}

std::string withShardSection(const std::string &extraJson, const ShardIdentity &shard,
                             const std::string &fingerprint)
{
    json extra = json::parse(extraJson, nullptr, false);
    if (!extra.is_object())
        extra = json::object();
    extra["shard"] = identityJson(shard);
    if (!fingerprint.empty())
        extra["fingerprint"] = fingerprint;
    return dumpJson(extra);
}

Result<ShardIdentity> shardIdentityFromResultJson(const std::string &text, const std::string &file)
{
    using R = Result<ShardIdentity>;
    if (std::optional<Diagnostic> bad = checkJsonText(text, file))
        return R::error(Diagnostics{std::move(*bad)});
    const json root = json::parse(text, nullptr, false);
    if (!root.is_object() || !root.contains("shard"))
        return R::error(Diagnostics{
            {file, 0, 0, "shard",
             "no shard section: not written by phaze search (results of phaze before 0.2 "
             "lack it: search the shard again)"}});
    const json &s = root["shard"];
    auto field = [&](const char *name) -> const json * {
        return s.is_object() && s.contains(name) ? &s[name] : nullptr;
    };
    const json *search = field("search"), *index = field("index"), *count = field("count"),
               *candidates = field("candidates");
    auto bad = [&](const std::string &name, const std::string &what) {
        return R::error(Diagnostics{{file, 0, 0, "shard." + name, what}});
    };
    if (!search || !search->is_string() || search->get<std::string>().empty())
        return bad("search", "expected the search's fingerprint (a non-empty string)");
    if (!count || !count->is_number_integer() || count->get<long long>() < 1)
        return bad("count", "expected an integer >= 1");
    if (!index || !index->is_number_integer() || index->get<long long>() < 1 ||
        index->get<long long>() > count->get<long long>())
        return bad("index", "expected an integer from 1 to shard.count");
    if (!candidates || !candidates->is_number_unsigned())
        return bad("candidates", "expected the whole search's candidate count (an integer >= 0)");
    ShardIdentity out;
    out.search = search->get<std::string>();
    out.index = index->get<int>();
    out.count = count->get<int>();
    out.candidates = candidates->get<std::size_t>();
    return R::optimal(out);
}

std::string shardProgressJson(const ShardProgress &p)
{
    return dumpJson(json{{"phaze_progress", 1},
                         {"shard", identityJson(p.shard)},
                         {"total", p.total},
                         {"done", p.done},
                         {"pruned", p.pruned},
                         {"best", p.best ? json(*p.best) : json(nullptr)},
                         {"elapsed_s", p.elapsedSeconds},
                         {"finished", p.finished}}) +
           "\n";
}

std::optional<ShardProgress> shardProgressFromJson(const std::string &text)
{
    const json root = json::parse(text, nullptr, false);
    if (!root.is_object() || !root.contains("phaze_progress"))
        return std::nullopt;
    try {
        ShardProgress p;
        const json &s = root.at("shard");
        p.shard.search = s.at("search").get<std::string>();
        p.shard.index = s.at("index").get<int>();
        p.shard.count = s.at("count").get<int>();
        p.shard.candidates = s.at("candidates").get<std::size_t>();
        p.total = root.at("total").get<long long>();
        p.done = root.at("done").get<long long>();
        p.pruned = root.at("pruned").get<long long>();
        if (root.contains("best") && root["best"].is_number())
            p.best = root["best"].get<double>();
        p.elapsedSeconds = root.value("elapsed_s", 0.0);
        p.finished = root.value("finished", false);
        return p;
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

std::string progressPathOf(const std::string &journalPath)
{
    return journalPath + ".progress";
}

} // namespace phaze
