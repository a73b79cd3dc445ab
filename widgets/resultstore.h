#pragma once

// The search results of a session: the evaluations as they stream in while a search runs, the
// finished result with its baselines, and the selected candidate that links the views (table,
// plot). Views observe it; only the GUI thread touches it.

#include <QObject>

#include <optional>
#include <vector>

#include "core/search/codesign.h"
#include "core/search/searchtypes.h"

namespace phaze {

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
    // Row of the best feasible evaluation, or -1.
    int bestRow() const;

    // Row of a candidate index, or -1.
    int rowOfCandidate(std::size_t candidate) const;
    // The selected candidate's row, or -1; kept across a reset when the candidate is still there.
    int selectedRow() const;
    std::optional<std::size_t> selectedCandidate() const { return m_selected; }
    void selectRow(int row);
    void clearSelection();

    void clear();
    void addEvaluation(const Evaluation &evaluation);
    void setResult(CodesignResult result);

signals:
    void evaluationAdded(int row);
    void resultsReset();
    void selectionChanged(int row);

private:
    std::vector<Evaluation> m_evaluations;
    std::vector<Baseline> m_baselines;
    std::optional<CodesignResult> m_result;
    std::optional<std::size_t> m_selected;
};

} // namespace phaze
