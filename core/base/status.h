#pragma once

// Status carried by every engine result (design.md "Engine conventions").

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace phaze {

enum class Status {
    Optimal,    // proven best (or exact, for computations that have no optimum)
    Feasible,   // a valid answer whose optimality is not proven (e.g. solver time limit)
    Infeasible, // no valid answer exists; message says why
    Cancelled,  // stopped by the user; value holds the best found so far, if any
    Error,      // bad input or internal failure; message names the offending input
};

std::string_view statusName(Status status);

// A value together with the status of the computation that produced it.
template <typename T> struct Result {
    Status status = Status::Error;
    std::optional<T> value;
    std::string message;
    std::optional<double> gap; // relative optimality gap, when Feasible

    static Result optimal(T v) { return Result{Status::Optimal, std::move(v), {}, {}}; }
    static Result feasible(T v, double gap, std::string why = {})
    {
        return Result{Status::Feasible, std::move(v), std::move(why), gap};
    }
    static Result infeasible(std::string why)
    {
        return Result{Status::Infeasible, {}, std::move(why), {}};
    }
    static Result error(std::string why) { return Result{Status::Error, {}, std::move(why), {}}; }
    static Result cancelled(std::optional<T> best = {})
    {
        return Result{Status::Cancelled, std::move(best), "cancelled", {}};
    }

    bool hasValue() const { return value.has_value(); }
    bool ok() const { return status == Status::Optimal || status == Status::Feasible; }
};

} // namespace phaze
