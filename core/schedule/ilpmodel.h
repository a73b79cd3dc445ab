#pragma once

// A solver-neutral mixed-integer linear program: columns with bounds, integrality and objective
// coefficients, and rows lower <= sum(coefficient x column) <= upper. Built by ScheduleIlp,
// solved by GlpkBackend, testable without any solver. Indices are 0-based here; only the
// backend knows GLPK's 1-based ones.

#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace phaze {

constexpr double kIlpInfinity = std::numeric_limits<double>::infinity();

struct IlpColumn {
    std::string name;
    double lower = 0.0;
    double upper = kIlpInfinity;
    bool integer = false;
    double objective = 0.0;
};

struct IlpRow {
    std::string name;
    std::vector<std::pair<int, double>> terms; // (column, coefficient), each column at most once
    double lower = -kIlpInfinity;
    double upper = kIlpInfinity;
};

class IlpModel
{
public:
    int addColumn(IlpColumn column);
    int addRow(IlpRow row);

    const std::vector<IlpColumn> &columns() const { return m_columns; }
    const std::vector<IlpRow> &rows() const { return m_rows; }
    IlpColumn &column(int index) { return m_columns[std::size_t(index)]; }
    int binaryCount() const;

    // "" when every number is finite where it must be (bounds may be infinite on one side,
    // coefficients never), every term names an existing column once, and lower <= upper.
    std::string validate() const;
    // The largest violation of a bound, a row or integrality by `point` (0 when feasible).
    double maxViolation(const std::vector<double> &point) const;
    double objectiveValue(const std::vector<double> &point) const;

private:
    std::vector<IlpColumn> m_columns;
    std::vector<IlpRow> m_rows;
};

} // namespace phaze
