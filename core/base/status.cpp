#include "core/base/status.h"

namespace phaze {

std::string_view statusName(Status status)
{
    switch (status) {
    case Status::Optimal:
        return "optimal";
    case Status::Feasible:
        return "feasible";
    case Status::Infeasible:
        return "infeasible";
    case Status::Cancelled:
        return "cancelled";
    case Status::Error:
        return "error";
    case Status::TimeLimit:
        return "time_limit";
    }
    return "error";
}

} // namespace phaze
