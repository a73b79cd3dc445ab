#pragma once

// The search results of a session: the evaluations as they stream in while a search runs, the
// finished result with its baselines, the selected candidate that links the views (table,
// plot), and the what-if evaluation of the project's own architecture, re-evaluated after every
// edit. The detail views (pipeline, memory, layer schedule, compare) show the focused
// configuration: the selected search result, else the what-if one. Views observe the store;
// only the GUI thread touches it.

#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/evaluation/evaluator.h"
#include "core/evaluation/placementreplay.h"
#include "core/io/projectsearch.h"
#include "core/search/searchtypes.h"

namespace phaze {

// A project as it was when something was computed from it, with the folder its relative model
// paths resolve against: the detail views replay an evaluation with the project it came from,
// not with one edited since.
struct ProjectSnapshot {
    ProjectSpec project;
    std::string baseDir;
    // What scored the results of this project (the search's or the what-if run's evaluator,
    // with its prepared project and caches); null until a run has finished, or for results
    // loaded from a file. Views replay with it, and prepare the project only without one.
    std::shared_ptr<const Evaluator> evaluator;

    // The evaluator, or a new one of the project (reads its files: call it off the GUI thread).
    Result<std::shared_ptr<const Evaluator>> evaluatorOrPrepare() const;
};

// A configuration kept aside for comparison (Compare tab's pinned designs, the Sweep tab's
// curves): it stays when a new search replaces the results, or an earlier run is reopened, and
// goes when another project is opened.
struct PinnedDesign {
    QString label; // "candidate 123", "current architecture" (numbered when repeated)
    Evaluation evaluation;
    ProjectSnapshot project; // the project it was evaluated with
};

class ResultStore : public QObject
{
    Q_OBJECT

public:
    explicit ResultStore(QObject *parent = nullptr);

    // Streamed in arrival order while running; the finished result's order (by candidate)
    // afterwards. Rows of the views are indices into this list.
    const std::vector<Evaluation> &evaluations() const { return m_evaluations; }
    const std::vector<Baseline> &baselines() const { return m_baselines; }
    // The finished search, when there is one (also after a cancel: the best found so far).
    const std::optional<CodesignResult> &result() const { return m_result; }
    // The finished result's SearchResult, or one built from the streamed evaluations.
    SearchResult searchResult() const;
    // Row of the best evaluation by the engine's rule (betterEvaluation: throughput, then the
    // tie-breaks), or -1: the finished result's SearchResult::best, else the best streamed so far.
    int bestRow() const;

    // Row of a candidate index, or -1.
    int rowOfCandidate(std::size_t candidate) const;
    // The selected candidate's row, or -1; kept across a reset when the candidate is still there.
    int selectedRow() const;
    std::optional<std::size_t> selectedCandidate() const { return m_selected; }
    void selectRow(int row);
    void clearSelection();

    // The project's fixed architecture evaluated at its HBM sizes with the baselines (the
    // what-if loop), when there is one.
    const std::optional<CodesignResult> &whatIf() const { return m_whatIf; }
    // The what-if result's best evaluation, or null.
    const Evaluation *whatIfEvaluation() const;
    // The configuration the detail views show: the selected search result, else the what-if
    // evaluation, else null.
    const Evaluation *focused() const;
    // The project the focused configuration was evaluated for (the search's or the what-if
    // run's), or null when not known.
    const ProjectSnapshot *focusedProject() const;
    // The evaluator that scored the focused configuration (the finished search's or the
    // what-if run's), or null (still streaming, or loaded from a file).
    std::shared_ptr<const Evaluator> focusedEvaluator() const;
    // "candidate 123" or "current architecture" (empty when nothing is focused).
    QString focusLabel() const;
    // The baselines to compare against: the finished search's, else the what-if run's.
    const std::vector<Baseline> &comparisonBaselines() const;
    // The focused configuration's placement replayed for one model, shared by the views that
    // draw it (pipeline, memory) so that it is computed once; forgotten when the focus changes.
    const PlacementReplay *cachedReplay(std::size_t model) const;
    void cacheReplay(std::size_t model, PlacementReplay replay);

    // The pinned designs, in the order they were pinned.
    const std::vector<PinnedDesign> &pinned() const { return m_pinned; }
    // Pins the focused configuration with the project it was evaluated for. False when nothing
    // is focused, the focus has no known project, or the same configuration of the same project
    // is pinned already.
    bool pinFocused();
    // Pins the best design of each of the `count` fastest compute configurations (cores,
    // arrays, lanes: designs that differ only in GLB or HBM size are one), fastest first; the
    // focused one when there are no results. The selection stays. Returns how many were pinned.
    int pinFastestConfigurations(int count);
    void unpin(std::size_t index);
    void clearPins();

    // Forgets the search results and the selection (not the pins, nor the what-if result).
    void clear();
    void addEvaluation(const Evaluation &evaluation);
    void setResult(CodesignResult result);
    // The project the search results (streamed or set) come from; clear() forgets it.
    void setSearchedProject(ProjectSnapshot project);
    const ProjectSnapshot *searchedProject() const
    {
        return m_searchedProject ? &*m_searchedProject : nullptr;
    }
    // The finished result now belongs to `project` under `fingerprint` (an edit that changed
    // nothing the search depends on, such as its fixed architecture).
    void rebaseResult(ProjectSnapshot project, std::string fingerprint);
    // Replaces the what-if result (nullopt: the project has no fixed architecture) and the
    // project it was computed for.
    void setWhatIf(std::optional<CodesignResult> result,
                   std::optional<ProjectSnapshot> project = std::nullopt);
    // The what-if evaluation failed (e.g. an imported graph file has gone): no result, and the
    // reason, which whatIfError() returns until the next setWhatIf.
    void setWhatIfError(const QString &message);
    const QString &whatIfError() const { return m_whatIfError; }

signals:
    void evaluationAdded(int row);
    void resultsReset();
    void selectionChanged(int row);
    void whatIfChanged();
    void pinsChanged();
    // focused() may have changed: the selection, the results or the what-if result did.
    void focusChanged();

private:
    // Every change of focused(): drops the cached replays, then tells the views.
    void focusHasChanged();
    // bestRow() is kept up to date as evaluations stream in (the views ask for it on each one).
    void considerForBest(std::size_t row);

    std::vector<Evaluation> m_evaluations;
    int m_bestRow = -1;
    std::vector<Baseline> m_baselines;
    std::optional<CodesignResult> m_result;
    std::optional<std::size_t> m_selected;
    std::optional<ProjectSnapshot> m_searchedProject;
    std::optional<CodesignResult> m_whatIf;
    std::optional<ProjectSnapshot> m_whatIfProject;
    QString m_whatIfError;
    std::map<std::size_t, PlacementReplay> m_replays; // by model index
    std::vector<PinnedDesign> m_pinned;
};

} // namespace phaze
