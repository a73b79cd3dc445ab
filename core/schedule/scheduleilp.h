#pragma once

// The per-layer schedule as a mixed-integer program (algorithms.md §3, the PHAZE formulation
// without time-indexed variables), strengthened and reduced without changing the optimum:
//
//   min T   s.t.  t_i + p_i <= t_j                     for edges of the transitive reduction
//                 t_i + p_i <= T                       for sinks
//                 p_i = l_i + (m_i - l_i) y_i          y_i only where intra is faster (m_i < l_i)
//                 t_i + p_i <= t_j + M_ij (1 - x_ij)   x only for unordered pairs that can clash
//                 x_ij + x_ji <= 1,  x_ij + x_ji >= y_i, y_j    (intra runs alone)
//                 sum over pairs of S (x_ab + x_ba) >= 1  for capacity sets S (added lazily)
//
// A pair that shares a resource with one unit (the only VC, the links) must always be ordered:
// it gets one binary o with x_ij = o and x_ji = 1 - o. A pair that can never clash (a TC and a
// VC operator, neither able to go intra; any core operator and a collective) gets no variable.
// Capacity: at most k operators may hold a resource with k units at once. Intervals on a line
// that pairwise overlap share a point (Helly), so that is exactly "every k + 1 operators using
// the resource include an ordered pair". Those rows are added only for sets a solution actually
// over-subscribes, and only for resources whose users contain more than k mutually unordered
// operators. Big-M values are per pair from the incumbent's makespan and head/tail paths.
// Interchangeable operators (same kind, latencies, ancestors and descendants) are ordered by
// index, which removes symmetric copies of every schedule. Times are scaled so that the
// incumbent's makespan is 1000, keeping GLPK's absolute tolerances meaningful.

#include <set>
#include <vector>

#include "core/schedule/ilpmodel.h"
#include "core/schedule/precedence.h"
#include "core/schedule/schedule.h"
#include "core/schedule/scheduleproblem.h"

namespace phaze {

class ScheduleIlp
{
public:
    // A reduced problem (every operator has a positive duration), a valid schedule's makespan
    // and a lower bound on the optimum.
    ScheduleIlp(const ScheduleProblem &problem, double upperBound, double lowerBound);

    const IlpModel &model() const { return m_model; }
    double timeScale() const { return m_scale; } // model time units per input time unit
    int makespanColumn() const { return m_makespan; }
    int startColumn(int op) const { return m_start[std::size_t(op)]; }
    int modeColumn(int op) const { return m_mode[std::size_t(op)]; } // -1: single-core only
    // The binary "i finishes before j starts", or -1; complemented: x_ij = 1 - column.
    int orderColumn(int i, int j, bool *complemented = nullptr) const;
    int orderVariables() const { return m_orderVariables; }
    int capacityRows() const { return m_capacityRows; }

    // The model's point for a valid schedule of the problem (interchangeable operators are
    // swapped into index order first, as the symmetry rows require).
    std::vector<double> pointOf(const Schedule &schedule) const;
    // Modes and start times (input units) of a solution.
    void decode(const std::vector<double> &values, std::vector<OpMode> &modes,
                std::vector<double> &starts) const;
    // Adds capacity rows for sets of operators that the solution runs together beyond a
    // resource's capacity; returns how many such sets it found (0: the solution respects
    // capacity). capacityRows() tells how many rows exist.
    int addCapacityRows(const std::vector<double> &values);

private:
    struct Pair {
        int i = 0;
        int j = 0;
        int x = -1; // x_ij
        int y = -1; // x_ji, or -1 when x_ji = 1 - x_ij
    };
    void buildPairs(const std::vector<double> &head, const std::vector<double> &tail);
    void buildSymmetry();
    bool addCapacitySet(const std::vector<int> &set);

    const ScheduleProblem &m_problem;
    Precedence m_precedence;
    IlpModel m_model;
    double m_scale = 1.0;
    double m_upper = 0.0; // scaled
    int m_makespan = -1;
    std::vector<int> m_start;
    std::vector<int> m_mode;
    std::vector<Pair> m_pairs;
    std::vector<int> m_pairOf;              // n x n -> index into m_pairs, or -1
    std::vector<std::vector<int>> m_groups; // interchangeable operators, ascending
    std::set<std::vector<int>> m_capacitySets;
    int m_orderVariables = 0;
    int m_capacityRows = 0;
    bool m_tcNeedsRows = false;
    bool m_vcNeedsRows = false;
};

} // namespace phaze
