#pragma once

// The `phaze` subcommands. Each returns the process exit code: 0 ok, 2 bad input,
// 3 nothing feasible, 130 interrupted.

#include <string>
#include <vector>

namespace phaze::cli {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;
constexpr int kExitInfeasible = 3;

int runCheck(const std::vector<std::string> &args);
int runParams(const std::vector<std::string> &args);
int runModel(const std::vector<std::string> &args);
int runArch(const std::vector<std::string> &args);
int runSpace(const std::vector<std::string> &args);
int runEstimate(const std::vector<std::string> &args);
int runPlace(const std::vector<std::string> &args);
int runSchedule(const std::vector<std::string> &args);

int runSearch(const std::vector<std::string> &args);
int runEvaluate(const std::vector<std::string> &args);
int runMerge(const std::vector<std::string> &args);

// Writes text to a file, or to stdout for "-". Returns "" or an error naming the path.
std::string writeOutput(const std::string &path, const std::string &text);

} // namespace phaze::cli
