#include "core/io/searchjson.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/arch/areamodel.h"
#include "core/arch/powermodel.h"
#include "core/evaluation/evaluator.h"
#include "core/io/documenttext.h"
#include "core/io/estimatereport.h"
#include "core/io/jsontext.h"

namespace phaze {
namespace {

using nlohmann::json;

json number(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}
double toNumber(const json &j)
{
    return j.is_number() ? j.get<double>() : NAN;
}

Status statusFromName(const std::string &name)
{
    for (Status s :
         {Status::Optimal, Status::Feasible, Status::Infeasible, Status::Cancelled, Status::Error,
          Status::TimeLimit})
        if (statusName(s) == name)
            return s;
    return Status::Error;
}

json configToJson(const AcceleratorConfig &c)
{
    return {{"num_tc", c.numTc},
            {"tc_width", c.tcWidth},
            {"tc_depth", c.tcDepth},
            {"num_vc", c.numVc},
            {"vc_width", c.vcWidth},
            {"glb_size", c.glbBytes},
            {"hbm_size", c.hbmBytes},
            {"hbm_bandwidth", c.hbmBandwidth},
            {"frequency", c.frequency},
            {"link_bandwidth", c.linkBandwidth},
            {"bytes_per_element", c.bytesPerElement}};
}

AcceleratorConfig configFromJson(const json &j)
{
    AcceleratorConfig c;
    c.numTc = j.at("num_tc").get<int>();
    c.tcWidth = j.at("tc_width").get<int>();
    c.tcDepth = j.at("tc_depth").get<int>();
    c.numVc = j.at("num_vc").get<int>();
    c.vcWidth = j.at("vc_width").get<int>();
    c.glbBytes = j.at("glb_size").get<double>();
    c.hbmBytes = j.at("hbm_size").get<double>();
    c.hbmBandwidth = j.at("hbm_bandwidth").get<double>();
    c.frequency = j.at("frequency").get<double>();
    c.linkBandwidth = j.at("link_bandwidth").get<double>();
    c.bytesPerElement = j.at("bytes_per_element").get<int>();
    return c;
}

json outcomeToJson(const ModelOutcome &m)
{
    json stages = json::array();
    for (const StageChoice &s : m.stages)
        stages.push_back({{"layers", s.layers}, {"devices", s.devices}});
    json out = {{"model", m.model},
            {"status", std::string(statusName(m.status))},
            {"message", m.message},
            {"throughput", number(m.throughput)},
            {"time_per_batch", number(m.timePerBatch)},
            {"data_parallel", m.dataParallel},
            {"pipeline_stages", m.pipelineStages},
            {"tensor_parallel", m.tensorParallel},
            {"microbatch", m.microbatch},
            {"recomputation", m.recomputation},
            {"stages", stages},
            {"memory_per_device", number(m.memoryPerDevice)},
            {"fixed_throughput", m.fixedThroughput ? number(*m.fixedThroughput) : json(nullptr)},
            {"energy_per_sample", number(m.energyPerSample)}};
    if (m.modelFlopsUtilisation > 0.0) // the system profile's; PHAZE's outcomes have none
        out["model_flops_utilisation"] = number(m.modelFlopsUtilisation);
    if (!m.layerEfficiency.empty())
        out["layer_efficiency"] = layerEfficiencyJson(m.layerEfficiency);
    return out;
}

ModelOutcome outcomeFromJson(const json &j)
{
    ModelOutcome m;
    m.model = j.at("model").get<std::string>();
    m.status = statusFromName(j.at("status").get<std::string>());
    m.message = j.value("message", "");
    m.throughput = toNumber(j.at("throughput"));
    m.timePerBatch = toNumber(j.at("time_per_batch"));
    m.dataParallel = j.at("data_parallel").get<int>();
    m.pipelineStages = j.at("pipeline_stages").get<int>();
    m.tensorParallel = j.at("tensor_parallel").get<int>();
    m.microbatch = j.at("microbatch").get<int>();
    m.recomputation = j.at("recomputation").get<bool>();
    for (const json &s : j.at("stages"))
        m.stages.push_back({s.at("layers").get<std::vector<int>>(), s.at("devices").get<int>()});
    m.memoryPerDevice = toNumber(j.at("memory_per_device"));
    if (j.at("fixed_throughput").is_number())
        m.fixedThroughput = j.at("fixed_throughput").get<double>();
    m.energyPerSample = toNumber(j.at("energy_per_sample"));
    if (j.contains("model_flops_utilisation"))
        m.modelFlopsUtilisation = toNumber(j.at("model_flops_utilisation"));
    if (j.contains("layer_efficiency")) // written since per-layer efficiencies; older files lack it
        for (const json &l : j.at("layer_efficiency"))
            m.layerEfficiency.push_back({l.at("layer").get<std::string>(), l.at("count").get<int>(),
                                         toNumber(l.at("forward")), toNumber(l.at("backward"))});
    return m;
}

json evaluationJson(const Evaluation &e)
{
    json models = json::array();
    for (const ModelOutcome &m : e.models)
        models.push_back(outcomeToJson(m));
    json out = {{"candidate", e.candidate},
                {"config", configToJson(e.config)},
                {"area_mm2", number(e.areaMm2)},
                {"peak_power_w", number(e.peakPowerW)},
                {"status", std::string(statusName(e.status))},
                {"message", e.message},
                {"throughput", number(e.throughput)},
                {"energy_per_sample", number(e.energyPerSample)},
                {"models", models}};
    if (e.carriesChipBreakdown()) {
        const json chip = chipBreakdownJson(e.area, e.power);
        out["area"] = chip.at("area");
        out["power"] = chip.at("power");
    }
    return out;
}

// Each term of a breakdown written by chipBreakdownJson, by its key.
template <typename Breakdown> void readTerms(const json &terms, const char *what, Breakdown &out)
{
    for (auto it = terms.begin(); it != terms.end(); ++it) {
        double *term = out.term(it.key());
        if (!term)
            continue; // a term of a later version: its total is still area_mm2 / peak_power_w
        if (!it.value().is_number())
            throw std::runtime_error(std::string(what) + "." + it.key() + " is not a number");
        *term = it.value().get<double>();
    }
}

Evaluation evaluationFrom(const json &j)
{
    Evaluation e;
    e.candidate = j.at("candidate").get<std::size_t>();
    e.config = configFromJson(j.at("config"));
    e.areaMm2 = toNumber(j.at("area_mm2"));
    // Written since the power model; older journals and results have none (0: unknown).
    if (j.contains("peak_power_w"))
        e.peakPowerW = toNumber(j.at("peak_power_w"));
    // Written since every design carries its breakdowns; older files have the totals only.
    if (j.contains("area"))
        readTerms(j.at("area"), "area", e.area);
    if (j.contains("power"))
        readTerms(j.at("power"), "power", e.power);
    e.status = statusFromName(j.at("status").get<std::string>());
    e.message = j.value("message", "");
    e.throughput = toNumber(j.at("throughput"));
    e.energyPerSample = toNumber(j.at("energy_per_sample"));
    for (const json &m : j.at("models"))
        e.models.push_back(outcomeFromJson(m));
    return e;
}

json indices(const std::vector<std::size_t> &front, const SearchResult &r)
{
    json out = json::array();
    for (std::size_t i : front)
        out.push_back(r.evaluations[i].candidate);
    return out;
}

} // namespace

std::string evaluationToJson(const Evaluation &evaluation)
{
    return dumpJson(evaluationJson(evaluation));
}

std::optional<Evaluation> evaluationFromJson(const std::string &line, std::string *error)
{
    try {
        return evaluationFrom(json::parse(line));
    } catch (const std::exception &e) {
        if (error)
            *error = e.what();
        return std::nullopt;
    }
}

std::string searchResultToJson(const SearchResult &r, const std::string &extraJson)
{
    json evaluations = json::array();
    for (const Evaluation &e : r.evaluations)
        evaluations.push_back(evaluationJson(e));
    json root = {{"format", "phaze-search-result"},
                 {"version", 1},
                 {"status", std::string(statusName(r.status))},
                 {"message", r.message},
                 {"best", r.best ? evaluationJson(r.evaluations[*r.best]) : json(nullptr)},
                 {"counts",
                  {{"total", r.counts.total},
                   {"evaluated", r.counts.evaluated},
                   {"pruned", r.counts.pruned},
                   {"infeasible", r.counts.infeasible},
                   {"resumed", r.counts.resumed},
                   {"skipped", r.counts.skipped}}},
                 {"elapsed_s", r.elapsedSeconds},
                 {"exact_fronts", r.exactFronts},
                 {"pareto",
                  {{"throughput_vs_area", indices(r.frontArea, r)},
                   {"throughput_vs_hbm", indices(r.frontHbm, r)},
                   {"throughput_vs_energy", indices(r.frontEnergy, r)},
                   {"throughput_vs_power", indices(r.frontPower, r)}}},
                 {"evaluations", evaluations}};
    json extra = json::parse(extraJson, nullptr, false);
    if (extra.is_object())
        for (auto it = extra.begin(); it != extra.end(); ++it)
            root[it.key()] = it.value();
    return dumpJson(root, 1);
}

std::string baselineChipJson(const Candidate &chip)
{
    return dumpJson({{"config", configToJson(chip.config)},
                     {"area_mm2", number(chip.areaMm2)},
                     {"peak_power_w", number(chip.peakPowerW)}});
}

std::optional<Candidate> baselineChipFromJson(const std::string &text, std::string *error)
{
    try {
        const json j = json::parse(text);
        Candidate c;
        c.config = configFromJson(j.at("config"));
        c.areaMm2 = toNumber(j.at("area_mm2"));
        c.peakPowerW = toNumber(j.at("peak_power_w"));
        return c;
    } catch (const std::exception &e) {
        if (error)
            *error = e.what();
        return std::nullopt;
    }
}

std::string codesignExtraJson(const CodesignResult &r)
{
    using nlohmann::json;
    json baselinesJson = json::array();
    const double best = r.search.best ? r.search.evaluations[*r.search.best].throughput
                                      : std::numeric_limits<double>::quiet_NaN();
    for (const Baseline &b : r.baselines) {
        json entry = {{"name", b.name}, {"message", b.message}};
        entry["throughput"] = b.throughput ? json(*b.throughput) : json(nullptr);
        entry["gain"] = (b.throughput && *b.throughput > 0 && std::isfinite(best))
                            ? json(best / *b.throughput)
                            : json(nullptr);
        if (b.evaluation)
            entry["evaluation"] = json::parse(evaluationToJson(*b.evaluation));
        else if (b.chip)
            entry["chip"] = json::parse(baselineChipJson(*b.chip));
        baselinesJson.push_back(entry);
    }
    const json profile = {{"bounds_s", r.boundSeconds},
                          {"schedules_s", r.scheduleSeconds},
                          {"placement_s", r.placementSeconds},
                          {"schedule_cache_hit_rate", r.scheduleCacheHitRate},
                          {"cost_cache_hit_rate", r.costCacheHitRate}};
    json root{{"fingerprint", r.fingerprint}, {"baselines", baselinesJson}, {"profile", profile}};
    // What the best design is made of: its area and power breakdowns under the table the
    // search used (a result read back from a file has no evaluator, and none are written).
    if (r.evaluator && r.search.best)
    {
        const AcceleratorConfig &best = r.search.evaluations[*r.search.best].config;
        const TechnologyTable &tech = r.evaluator->technology();
        const AreaBreakdown area = areaBreakdown(best, tech);
        root["best_chip"] = chipBreakdownJson(area, peakPowerBreakdown(best, tech, area.total()));
    }
    return dumpJson(root);
}

Result<SearchResult> searchResultFromJson(const std::string &text, const std::string &file)
{
    using R = Result<SearchResult>;
    if (std::optional<Diagnostic> bad = checkJsonText(text, file))
        return R::error(Diagnostics{std::move(*bad)});
    try {
        const json root = json::parse(text);
        if (root.value("format", "") != "phaze-search-result")
            return R::error(Diagnostics{{file, 0, 0, "format", "not a phaze search result"}});
        SearchResult r;
        for (const json &e : root.at("evaluations"))
            r.evaluations.push_back(evaluationFrom(e));
        const json &c = root.at("counts");
        r.counts.total = c.at("total").get<std::size_t>();
        r.counts.evaluated = c.at("evaluated").get<std::size_t>();
        r.counts.pruned = c.at("pruned").get<std::size_t>();
        r.counts.infeasible = c.at("infeasible").get<std::size_t>();
        r.counts.resumed = c.value("resumed", std::size_t(0));
        r.counts.skipped = c.value("skipped", std::size_t(0));
        r.elapsedSeconds = root.value("elapsed_s", 0.0);
        r.exactFronts = root.value("exact_fronts", false); // absent in files written before
        r.status = statusFromName(root.at("status").get<std::string>());
        r.message = root.value("message", "");
        return R::optimal(std::move(r));
    } catch (const std::exception &e) {
        return R::error(Diagnostics{
            {file, 0, 0, "", std::string("cannot read the search result: ") + e.what()}});
    }
}

std::string searchResultToCsv(const SearchResult &r)
{
    std::ostringstream out;
    out.precision(17);
    out << "candidate,status,throughput_samples_per_s,area_mm2,num_tc,tc_width,tc_depth,num_vc,"
           "vc_width,glb_bytes,hbm_bytes,hbm_bandwidth,frequency_hz,energy_per_sample_j,model,"
           "model_throughput,data_parallel,pipeline_stages,tensor_parallel,microbatch,"
           "recomputation,memory_per_device_bytes,fixed_throughput,message\n";
    auto quoted = [](const std::string &s) {
        std::string q = "\"";
        for (char ch : s)
            q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        return q + "\"";
    };
    for (const Evaluation &e : r.evaluations) {
        const AcceleratorConfig &c = e.config;
        // One row per model, so multi-model searches keep every model's strategy.
        std::vector<const ModelOutcome *> models;
        for (const ModelOutcome &m : e.models)
            models.push_back(&m);
        if (models.empty())
            models.push_back(nullptr);
        for (const ModelOutcome *m : models) {
            out << e.candidate << ',' << statusName(e.status) << ',' << e.throughput << ','
                << e.areaMm2 << ',' << c.numTc << ',' << c.tcWidth << ',' << c.tcDepth << ','
                << c.numVc << ',' << c.vcWidth << ',' << c.glbBytes << ',' << c.hbmBytes << ','
                << c.hbmBandwidth << ',' << c.frequency << ',' << e.energyPerSample << ',';
            if (m)
                out << quoted(m->model) << ',' << m->throughput << ',' << m->dataParallel << ','
                    << m->pipelineStages << ',' << m->tensorParallel << ',' << m->microbatch << ','
                    << (m->recomputation ? "true" : "false") << ',' << m->memoryPerDevice << ','
                    << (m->fixedThroughput ? std::to_string(*m->fixedThroughput) : "") << ','
                    << quoted(m->message.empty() ? e.message : m->message) << '\n';
            else
                out << ",,,,,,,,," << quoted(e.message) << '\n';
        }
    }
    return out.str();
}

namespace {

// "path:line: what" (the line left out when 0), with the diagnostic behind it. Journal paths
// are never empty (runCodesign opens none for "").
Diagnostic journalError(const std::string &path, std::string what, int line = 0)
{
    return Diagnostic{path, line, 0, "", std::move(what)};
}

Outcome osError(const std::string &path, const std::string &what, int error)
{
    return Outcome::error(Diagnostics{journalError(path, what + ": " + std::strerror(error))});
}

// The whole file (journals are at most a few hundred MB: one line per candidate).
bool readWhole(const std::string &path, std::string &text)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream out;
    out << in.rdbuf();
    text = out.str();
    return !in.bad();
}

} // namespace

Outcome SearchJournal::open(const std::string &path, const std::string &fingerprint, bool append)
{
    close();
    m_path = path;
    m_size = 0;
    // Truncated only once locked: another search's journal must survive a mistaken command.
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (m_fd < 0)
        return osError(path, "cannot open the journal for writing", errno);
    // Two searches appending to one journal would each skip the other's candidates on resume.
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        close();
        return Outcome::error(Diagnostics{
            journalError(path, "cannot lock the journal: another search is writing it")});
    }
    struct stat st {
    };
    const bool regular = ::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode);
    if (append && regular) {
        // Keep whole lines only: a kill mid-write leaves a partial last line, and appending
        // after it would glue it to the next evaluation.
        const State state = inspect(path);
        m_size = (long long)st.st_size - (long long)state.tornBytes;
        if (state.tornBytes > 0 && ::ftruncate(m_fd, off_t(m_size)) != 0) {
            const int error = errno;
            close();
            return osError(path, "cannot cut the partial last line of the journal", error);
        }
    }
    if (!append && regular && ::ftruncate(m_fd, 0) != 0) {
        const int error = errno;
        close();
        return osError(path, "cannot truncate the journal", error);
    }
    if (!append) {
        const json header = {{"phaze_journal", 1}, {"fingerprint", fingerprint}};
        if (Outcome written = writeAll(dumpJson(header) + "\n"); !written.ok()) {
            close();
            return written;
        }
    }
    return done();
}

Outcome SearchJournal::writeAll(const std::string &text)
{
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(m_fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            // Roll back a short write so the journal ends with a whole line. Fails harmlessly
            // on devices and pipes, which have no size to cut.
            if (written > 0 && ::ftruncate(m_fd, off_t(m_size)) != 0) {
                // Nothing more to do: the reader ignores the partial line.
            }
            return osError(m_path, "cannot write the journal", error);
        }
        written += std::size_t(n);
    }
    m_size += (long long)text.size();
    return done();
}

Outcome SearchJournal::append(const Evaluation &evaluation)
{
    if (m_fd < 0)
        return done();
    // One write per line, straight to the kernel (no user-space buffer to lose): a kill leaves
    // at most one partial last line, which the reader ignores.
    return writeAll(evaluationToJson(evaluation) + "\n");
}

void SearchJournal::close()
{
    if (m_fd >= 0) {
        ::fdatasync(m_fd); // durable across a power loss too; fails harmlessly on devices
        ::close(m_fd);     // also releases the lock
    }
    m_fd = -1;
}

SearchJournal::State SearchJournal::inspect(const std::string &path)
{
    State state;
    std::string text;
    if (!readWhole(path, text))
        return state;
    state.exists = true;
    const std::size_t lastNewline = text.rfind('\n');
    state.tornBytes =
        lastNewline == std::string::npos ? text.size() : text.size() - lastNewline - 1;
    if (lastNewline == std::string::npos)
        return state;
    state.hasHeader = true;
    state.lines = std::size_t(std::count(text.begin(), text.end(), '\n')) - 1;
    const json header = json::parse(text.substr(0, text.find('\n')), nullptr, false);
    if (header.is_object() && header.value("fingerprint", json()).is_string())
        state.fingerprint = header["fingerprint"].get<std::string>();
    return state;
}

Result<std::vector<Evaluation>>
SearchJournal::read(const std::string &path, const std::string &fingerprint, std::size_t *tornBytes)
{
    return readLines(path, &fingerprint, tornBytes);
}

Result<std::vector<Evaluation>> SearchJournal::readAnySearch(const std::string &path,
                                                             std::size_t *tornBytes)
{
    return readLines(path, nullptr, tornBytes);
}

Result<std::vector<Evaluation>> SearchJournal::readLines(const std::string &path,
                                                         const std::string *fingerprint,
                                                         std::size_t *tornBytes)
{
    using R = Result<std::vector<Evaluation>>;
    auto fail = [](Diagnostic d) {
        return R::error(Diagnostics{std::move(d)});
    };
    std::string text;
    if (!readWhole(path, text)) {
        const int error = errno;
        return fail(
            journalError(path, std::string("cannot read the journal: ") + std::strerror(error)));
    }
    // Only newline-terminated lines were written completely.
    const std::size_t end = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (tornBytes)
        *tornBytes = text.size() - end;
    if (end == 0)
        return fail(journalError(path, "the journal has no complete header line (empty, or "
                                       "killed while writing it)"));
    // Only the complete lines: a torn last line may end inside a UTF-8 sequence.
    if (std::optional<Diagnostic> bad = checkJsonText(text.substr(0, end), path)) {
        bad->message += " (the journal was modified or damaged)";
        return fail(std::move(*bad));
    }
    std::size_t pos = text.find('\n');
    const json header = json::parse(text.substr(0, pos), nullptr, false);
    if (!header.is_object() || !header.contains("phaze_journal"))
        return fail(journalError(path, "not a phaze search journal", 1));
    if (fingerprint && header.value("fingerprint", "") != *fingerprint)
        return fail(journalError(
            path, "the journal belongs to another search (project or candidates changed)"));
    std::vector<Evaluation> out;
    int lineNumber = 1;
    for (++pos; pos < end;) {
        const std::size_t next = text.find('\n', pos);
        const std::string line = text.substr(pos, next - pos);
        pos = next + 1;
        ++lineNumber;
        std::string why;
        auto e = evaluationFromJson(line, &why);
        if (!e) {
            // Whole lines are written with one write each, so this is damage from outside.
            return fail(journalError(path,
                                     "not a journal line (the file was modified or damaged; "
                                     "delete the line to evaluate its candidate again): " +
                                         why,
                                     lineNumber));
        }
        out.push_back(std::move(*e));
    }
    return R::optimal(std::move(out));
}

} // namespace phaze
