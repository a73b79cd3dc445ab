#include "widgets/resultstore.h"

#include <algorithm>
#include <array>

#include "core/io/projectprepare.h"
#include "core/search/pareto.h"
#include "core/search/searchdriver.h"

namespace phaze {

ResultStore::ResultStore(QObject *parent) : QObject(parent) {}

SearchResult ResultStore::searchResult() const
{
    if (m_result)
        return m_result->search;
    // A partial result (a search still running): enough for the CSV table and the fronts.
    SearchResult partial;
    partial.status = Status::Feasible;
    partial.evaluations = m_evaluations;
    partial.counts.evaluated = m_evaluations.size();
    if (const int best = bestRow(); best >= 0)
        partial.best = std::size_t(best);
    partial.frontArea = paretoFront(m_evaluations, ParetoAxis::Area);
    partial.frontHbm = paretoFront(m_evaluations, ParetoAxis::HbmSize);
    partial.frontEnergy = paretoFront(m_evaluations, ParetoAxis::EnergyPerSample);
    partial.frontPower = paretoFront(m_evaluations, ParetoAxis::PeakPower);
    return partial;
}

int ResultStore::bestRow() const
{
    return m_bestRow;
}

void ResultStore::considerForBest(std::size_t row)
{
    // The engine's rule, tie-breaks included (throughput, then area, HBM, candidate index), so
    // that the streamed best is the one the finished search reports.
    const Evaluation &e = m_evaluations[row];
    if (e.feasible() &&
        (m_bestRow < 0 || betterEvaluation(e, m_evaluations[std::size_t(m_bestRow)])))
        m_bestRow = int(row);
}

int ResultStore::rowOfCandidate(std::size_t candidate) const
{
    for (std::size_t i = 0; i < m_evaluations.size(); ++i)
        if (m_evaluations[i].candidate == candidate)
            return int(i);
    return -1;
}

int ResultStore::selectedRow() const
{
    return m_selected ? rowOfCandidate(*m_selected) : -1;
}

void ResultStore::selectRow(int row)
{
    if (row < 0 || row >= int(m_evaluations.size())) {
        clearSelection();
        return;
    }
    const std::size_t candidate = m_evaluations[std::size_t(row)].candidate;
    if (m_selected == candidate)
        return;
    m_selected = candidate;
    emit selectionChanged(row);
    focusHasChanged();
}

void ResultStore::clearSelection()
{
    if (!m_selected)
        return;
    m_selected.reset();
    emit selectionChanged(-1);
    focusHasChanged();
}

bool ResultStore::pinFocused()
{
    const Evaluation *focus = focused();
    const ProjectSnapshot *project = focusedProject();
    if (!focus || !project)
        return false;
    for (const PinnedDesign &p : m_pinned)
        if (p.evaluation.config == focus->config && p.project.project == project->project)
            return false;
    PinnedDesign pin{focusLabel(), *focus, *project};
    pin.project.evaluator = focusedEvaluator();
    // "candidate 1" again is "candidate 1 #2" ("candidate 12" is another label).
    int same = 0;
    for (const PinnedDesign &p : m_pinned)
        same +=
            p.label == pin.label || p.label.startsWith(pin.label + QStringLiteral(" #")) ? 1 : 0;
    if (same > 0)
        pin.label += tr(" #%1").arg(same + 1);
    m_pinned.push_back(std::move(pin));
    emit pinsChanged();
    return true;
}

int ResultStore::pinFastestConfigurations(int count)
{
    std::vector<int> rows;
    for (int r = 0; r < int(m_evaluations.size()); ++r)
        if (m_evaluations[std::size_t(r)].feasible())
            rows.push_back(r);
    if (rows.empty())
        return pinFocused() ? 1 : 0;
    std::stable_sort(rows.begin(), rows.end(), [this](int a, int b) {
        return m_evaluations[std::size_t(a)].throughput > m_evaluations[std::size_t(b)].throughput;
    });
    const int selected = selectedRow();
    std::vector<std::array<int, 5>> arrays;
    int pinned = 0;
    for (int r : rows) {
        if (int(arrays.size()) == count)
            break;
        const AcceleratorConfig &c = m_evaluations[std::size_t(r)].config;
        const std::array<int, 5> array{c.numTc, c.tcWidth, c.tcDepth, c.numVc, c.vcWidth};
        if (std::find(arrays.begin(), arrays.end(), array) != arrays.end())
            continue;
        arrays.push_back(array);
        selectRow(r);
        pinned += pinFocused() ? 1 : 0;
    }
    if (selected >= 0)
        selectRow(selected);
    else
        clearSelection();
    return pinned;
}

void ResultStore::unpin(std::size_t index)
{
    if (index >= m_pinned.size())
        return;
    m_pinned.erase(m_pinned.begin() + std::ptrdiff_t(index));
    emit pinsChanged();
}

void ResultStore::clearPins()
{
    if (m_pinned.empty())
        return;
    m_pinned.clear();
    emit pinsChanged();
}

void ResultStore::clear()
{
    m_evaluations.clear();
    m_bestRow = -1;
    m_baselines.clear();
    m_result.reset();
    m_selected.reset();
    m_searchedProject.reset();
    emit resultsReset();
    emit selectionChanged(-1);
    focusHasChanged();
}

void ResultStore::rebaseResult(ProjectSnapshot project, std::string fingerprint)
{
    if (!m_result)
        return;
    project.evaluator = m_searchedProject ? m_searchedProject->evaluator : nullptr;
    m_searchedProject = std::move(project);
    m_result->fingerprint = std::move(fingerprint);
}

void ResultStore::addEvaluation(const Evaluation &evaluation)
{
    m_evaluations.push_back(evaluation);
    considerForBest(m_evaluations.size() - 1);
    emit evaluationAdded(int(m_evaluations.size()) - 1);
}

void ResultStore::setResult(CodesignResult result)
{
    m_evaluations = result.search.evaluations;
    // The finished search's best is the truth (a saved or a cancelled one's too): rows are its
    // evaluation indices now.
    m_bestRow = result.search.best && *result.search.best < m_evaluations.size()
                    ? int(*result.search.best)
                    : -1;
    m_baselines = result.baselines;
    m_result = std::move(result);
    emit resultsReset();
    // Rows moved (streaming order -> candidate order); views re-find the selected candidate.
    emit selectionChanged(selectedRow());
    focusHasChanged();
}

Result<std::shared_ptr<const Evaluator>> ProjectSnapshot::evaluatorOrPrepare() const
{
    if (evaluator)
        return Result<std::shared_ptr<const Evaluator>>::optimal(evaluator);
    return evaluatorFor(project, baseDir);
}

void ResultStore::setSearchedProject(ProjectSnapshot project)
{
    m_searchedProject = std::move(project);
}

void ResultStore::setWhatIf(std::optional<CodesignResult> result,
                            std::optional<ProjectSnapshot> project)
{
    m_whatIf = std::move(result);
    m_whatIfProject = m_whatIf ? std::move(project) : std::nullopt;
    m_whatIfError.clear();
    emit whatIfChanged();
    if (selectedRow() < 0)
        focusHasChanged();
}

void ResultStore::setWhatIfError(const QString &message)
{
    setWhatIf(std::nullopt);
    m_whatIfError = message;
    emit whatIfChanged();
}

const Evaluation *ResultStore::whatIfEvaluation() const
{
    if (!m_whatIf || !m_whatIf->search.best)
        return m_whatIf && !m_whatIf->search.evaluations.empty()
                   ? &m_whatIf->search.evaluations.front()
                   : nullptr;
    return &m_whatIf->search.evaluations[*m_whatIf->search.best];
}

const Evaluation *ResultStore::focused() const
{
    if (const int row = selectedRow(); row >= 0)
        return &m_evaluations[std::size_t(row)];
    return whatIfEvaluation();
}

const ProjectSnapshot *ResultStore::focusedProject() const
{
    if (selectedRow() >= 0)
        return m_searchedProject ? &*m_searchedProject : nullptr;
    return whatIfEvaluation() && m_whatIfProject ? &*m_whatIfProject : nullptr;
}

std::shared_ptr<const Evaluator> ResultStore::focusedEvaluator() const
{
    if (selectedRow() >= 0)
        return m_result ? m_result->evaluator : nullptr;
    return whatIfEvaluation() && m_whatIf ? m_whatIf->evaluator : nullptr;
}

QString ResultStore::focusLabel() const
{
    if (const int row = selectedRow(); row >= 0)
        return tr("candidate %1").arg(m_evaluations[std::size_t(row)].candidate);
    return whatIfEvaluation() ? tr("current architecture") : QString();
}

const std::vector<Baseline> &ResultStore::comparisonBaselines() const
{
    if (!m_baselines.empty() || !m_whatIf)
        return m_baselines;
    return m_whatIf->baselines;
}

void ResultStore::focusHasChanged()
{
    m_replays.clear();
    emit focusChanged();
}

const PlacementReplay *ResultStore::cachedReplay(std::size_t model) const
{
    const auto found = m_replays.find(model);
    return found == m_replays.end() ? nullptr : &found->second;
}

void ResultStore::cacheReplay(std::size_t model, PlacementReplay replay)
{
    m_replays[model] = std::move(replay);
}

} // namespace phaze
