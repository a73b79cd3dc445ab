#pragma once

// The `phaze` subcommands. Each returns the process exit code: 0 ok, 2 bad input,
// 3 nothing feasible, 4 cannot write an output (full disk, missing directory, ...), 130
// interrupted.

#include <optional>
#include <string>
#include <vector>

#include "app/cli/cliargs.h"
#include "app/cli/outputfile.h"
#include "core/search/codesign.h"
#include "core/spec/projectspec.h"

namespace phaze::cli {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;
constexpr int kExitInfeasible = 3;
constexpr int kExitIoError = 4;

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
int runStatus(const std::vector<std::string> &args);
int runValidate(const std::vector<std::string> &args);
int runSweep(const std::vector<std::string> &args);
// `phaze evaluate` of a project whose training.profile is system.
int runSystemEvaluate(const std::string &projectPath, const ProjectSpec &project,
                      const CliArgs &parsed);

// Writes a search result as JSON (with extraJson as its extra sections; empty: the codesign
// report's) and CSV; an unwritable output is reported with `hint` (where the work is kept).
int writeOutputs(const CodesignResult &result, const std::optional<std::string> &json,
                 const std::optional<std::string> &csv, const std::string &hint = {},
                 const std::string &extraJson = {});

} // namespace phaze::cli
