#pragma once

// Status carried by every engine result. Every engine entry point has one shape (see
// docs/architecture.md, "Engine calls"): f(input, options, progress, cancel) -> Result<T>, whose
// top-level status is the true one. Loaders return Result<T> too (Error with located
// diagnostics), and writers an Outcome (Result<Done>).

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/base/diagnostic.h"

namespace phaze {

enum class Status {
    Optimal,    // proven best (or exact, for computations that have no optimum)
    Feasible,   // a valid answer within a gap tolerance, or otherwise not proven best; gap set
    Infeasible, // no valid answer exists; message says why
    Cancelled,  // stopped by the user; value holds the best found so far, if any
    Error,      // bad input or internal failure; message (and diagnostics) name the input
    TimeLimit,  // stopped by a time limit; value holds the best found, gap its distance to the
                // bound (a valid answer, like Feasible, whose optimality was not proven in time)
};

// Whether a status comes with a valid answer: Optimal, Feasible or TimeLimit.
constexpr bool hasAnswer(Status s)
{
    return s == Status::Optimal || s == Status::Feasible || s == Status::TimeLimit;
}

std::string_view statusName(Status status);

// A value together with the status of the computation that produced it.
template <typename T> struct Result {
    Status status = Status::Error;
    std::optional<T> value;
    std::string message;
    std::optional<double> gap; // relative optimality gap, when Feasible or TimeLimit
    // The located errors behind an Error (file, line, column, field), so that they survive the
    // way up; message is their one-line summary.
    Diagnostics diagnostics;

    static Result optimal(T v) { return Result{Status::Optimal, std::move(v), {}, {}, {}}; }
    static Result feasible(T v, double gap, std::string why = {})
    {
        return Result{Status::Feasible, std::move(v), std::move(why), gap, {}};
    }
    static Result timeLimit(T best, double gap, std::string why = "time limit reached")
    {
        return Result{Status::TimeLimit, std::move(best), std::move(why), gap, {}};
    }
    static Result infeasible(std::string why)
    {
        return Result{Status::Infeasible, {}, std::move(why), {}, {}};
    }
    static Result error(std::string why)
    {
        return Result{Status::Error, {}, std::move(why), {}, {}};
    }
    // An error with its diagnostics; the message is `summary`, or every diagnostic formatted.
    static Result error(Diagnostics diagnostics, std::string summary = {})
    {
        std::string message = summary.empty() ? formatAll(diagnostics) : std::move(summary);
        return Result{Status::Error, {}, std::move(message), {}, std::move(diagnostics)};
    }
    static Result cancelled(std::optional<T> best = {})
    {
        return Result{Status::Cancelled, std::move(best), "cancelled", {}, {}};
    }
    // What a loader returns: Optimal with the value when there are no diagnostics, else Error
    // with them (file, line and column kept; the value, if any, dropped).
    static Result checked(std::optional<T> value, Diagnostics diagnostics)
    {
        if (!diagnostics.empty() || !value)
            return error(std::move(diagnostics));
        return optimal(std::move(*value));
    }

    bool hasValue() const { return value.has_value(); }
    bool ok() const { return hasAnswer(status); }
};

// The value of a call that has nothing to return but can fail, such as a write: an Outcome is
// Optimal (done()) or Error with a message naming the path and the reason, and the diagnostic
// behind it when there is one.
struct Done {
};
using Outcome = Result<Done>;

inline Outcome done()
{
    return Outcome::optimal(Done{});
}

} // namespace phaze
