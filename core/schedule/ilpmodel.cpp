#include "core/schedule/ilpmodel.h"

#include <algorithm>
#include <cmath>

namespace phaze {

int IlpModel::addColumn(IlpColumn column)
{
    m_columns.push_back(std::move(column));
    return int(m_columns.size()) - 1;
}

int IlpModel::addRow(IlpRow row)
{
    m_rows.push_back(std::move(row));
    return int(m_rows.size()) - 1;
}

int IlpModel::binaryCount() const
{
    return int(std::count_if(m_columns.begin(), m_columns.end(), [](const IlpColumn &c) {
        return c.integer && c.lower >= 0.0 && c.upper <= 1.0;
    }));
}

std::string IlpModel::validate() const
{
    auto boundsOk = [](double lower, double upper) {
        return !std::isnan(lower) && !std::isnan(upper) && lower != kIlpInfinity &&
               upper != -kIlpInfinity && lower <= upper;
    };
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        const IlpColumn &col = m_columns[c];
        if (!boundsOk(col.lower, col.upper) || !std::isfinite(col.objective))
            return "column " + std::to_string(c) + " (" + col.name +
                   "): bounds or objective not usable";
    }
    std::vector<int> seen(m_columns.size(), -1);
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        const IlpRow &row = m_rows[r];
        const std::string which = "row " + std::to_string(r) + " (" + row.name + ")";
        if (!boundsOk(row.lower, row.upper))
            return which + ": bounds not usable";
        for (const auto &[c, a] : row.terms) {
            if (c < 0 || c >= int(m_columns.size()))
                return which + ": names column " + std::to_string(c) + ", which does not exist";
            if (seen[std::size_t(c)] == int(r))
                return which + ": names column " + std::to_string(c) + " twice";
            seen[std::size_t(c)] = int(r);
            if (!std::isfinite(a))
                return which + ": coefficient not finite";
        }
    }
    return {};
}

double IlpModel::maxViolation(const std::vector<double> &point) const
{
    if (point.size() != m_columns.size())
        return kIlpInfinity;
    double worst = 0.0;
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        const double v = point[c];
        if (!std::isfinite(v))
            return kIlpInfinity;
        worst = std::max({worst, m_columns[c].lower - v, v - m_columns[c].upper});
        if (m_columns[c].integer)
            worst = std::max(worst, std::abs(v - std::round(v)));
    }
    for (const IlpRow &row : m_rows) {
        double sum = 0.0;
        for (const auto &[c, a] : row.terms)
            sum += a * point[std::size_t(c)];
        worst = std::max({worst, row.lower - sum, sum - row.upper});
    }
    return worst;
}

double IlpModel::objectiveValue(const std::vector<double> &point) const
{
    double sum = 0.0;
    for (std::size_t c = 0; c < m_columns.size() && c < point.size(); ++c)
        sum += m_columns[c].objective * point[c];
    return sum;
}

} // namespace phaze
