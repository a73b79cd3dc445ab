#pragma once

// The last-resort guard around work that runs on the thread pool. An exception that escapes the
// engine (a bug, or std::bad_alloc on a huge input) would be stored in the QFuture and rethrown
// by QFutureWatcher::result() on the GUI thread, where nothing catches it and Qt ends the
// program, losing unsaved work. Here it becomes the job's ordinary error result instead, which
// the view reports like any other failure.

#include <QString>

#include <exception>
#include <string>
#include <type_traits>
#include <utility>

namespace phaze {

// Whether a result type can carry a failure: T::error(why) (Result<U> and the views' run
// structs), or the message itself for jobs whose result is the error text (QString).
template <typename T>
concept ReportsFailure =
    std::is_same_v<T, QString> || requires(const std::string &why) { T::error(why); };

template <ReportsFailure T> T jobFailure(const std::string &why)
{
    if constexpr (std::is_same_v<T, QString>)
        return QString::fromStdString(why);
    else
        return T::error(why);
}

// The message for an exception caught by a guard ("" when there was none).
inline std::string internalError(const std::exception *e)
{
    return std::string("internal error (please report it): ") +
           (e ? e->what() : "an unknown exception");
}

template <ReportsFailure T, typename Work> T runGuarded(Work &&work)
{
    try {
        return std::forward<Work>(work)();
    } catch (const std::exception &e) {
        return jobFailure<T>(internalError(&e));
    } catch (...) {
        return jobFailure<T>(internalError(nullptr));
    }
}

} // namespace phaze
