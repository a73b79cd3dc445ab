// `phaze`: the command-line front end of the engine (links phaze_core only).

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "app/cli/commands.h"

namespace {

struct Subcommand {
    const char *name;
    int (*run)(const std::vector<std::string> &);
    const char *summary;
};

const Subcommand kSubcommands[] = {
    {"check", phaze::cli::runCheck,
     "check PROJECT.yaml                   validate a project file and describe it"},
    {"model", phaze::cli::runModel,
     "model NAME|FILE.json [--tp T] [--ep E] [--mbs B] [--seq S] [--no-fusion] [--json OUT|-]\n"
     "      model --project PROJECT.yaml [...]  summarise a model's layer graph"},
    {"arch", phaze::cli::runArch,
     "arch NAME|FILE [--technology FILE] [--json OUT|-]\n"
     "                                       area breakdown, peak FLOP/s and bandwidths"},
    {"space", phaze::cli::runSpace,
     "space [PROJECT.yaml] [--technology FILE] [--json OUT|-] [--candidates]\n"
     "                                       candidate count and area range of a space"},
    {"estimate", phaze::cli::runEstimate,
     "estimate --model NAME|FILE.json --arch NAME|FILE [--tp T] [--mbs B] [--seq S]\n"
     "         [--no-fusion] [--technology FILE] [--profile system|phaze] [--json OUT|-]\n"
     "                                       cost of every operator"},
    {"place", phaze::cli::runPlace,
     "place --phaze-json IN.json [--out OUT.json|-] [--timeline OUT.trace.json|-]\n"
     "      [--schedule 1f1b|gpipe] [--max-downsets N]  device placement (PHAZE format)"},
    {"schedule", phaze::cli::runSchedule,
     "schedule INSTANCE.json [--json OUT|-] [--time-limit S] [--trace OUT.json|-]\n"
     "         schedule --model NAME --arch NAME|FILE [--tp T] [--mbs B] [--json OUT|-]\n"
     "                  [--trace OUT.json|-]\n"
     "                                       exact per-layer operator schedule (ILP)"},
    {"evaluate", phaze::cli::runEvaluate,
     "evaluate PROJECT.yaml [--arch NAME|FILE] [--json OUT|-] [--csv OUT|-] [--trace OUT|-]\n"
     "                                       best training configuration of one architecture"},
    {"search", phaze::cli::runSearch,
     "search PROJECT.yaml [--strategy exact|phaze] [--threads N] [--json OUT|-] [--csv OUT|-]\n"
     "       [--journal FILE [--resume]] [--shard I/N] [--no-baselines] [--exact-fronts]\n"
     "                                       co-design search with Pareto fronts and baselines"},
    {"sweep", phaze::cli::runSweep,
     "sweep PROJECT.yaml --param SECTION.KEY [--values V1,V2,...] [--arch NAME|FILE,...]\n"
     "      [--threads N] [--json OUT|-] [--csv OUT|-]\n"
     "                                       throughput as one parameter varies"},
    {"merge", phaze::cli::runMerge,
     "merge PART.json... --json OUT|- [--csv OUT|-] [--allow-missing]\n"
     "                                       combine the results of sharded searches"},
    {"status", phaze::cli::runStatus,
     "status JOURNAL.jsonl...|DIR [--json OUT|-]\n"
     "                                       progress of a (sharded) search from its journals"},
    {"validate", phaze::cli::runValidate,
     "validate FILE.yaml... [--breakdown] [--json OUT|-]\n"
     "                                       predict published training runs, with errors"},
    {"params", phaze::cli::runParams,
     "params [--markdown]                   list every parameter: unit, range, default"},
};

void printHelp()
{
    std::cout << "phaze " PHAZE_VERSION
                 " - co-design a DL training accelerator and its device placement\n\n"
                 "usage: phaze SUBCOMMAND [ARGS...]\n\nsubcommands:\n";
    for (const Subcommand &s : kSubcommands)
        std::cout << "  " << s.summary << "\n";
    std::cout << "\n  --help, -h                           this help\n"
                 "  --version                            print the version\n\n"
                 "exit codes: 0 ok, 2 bad input, 3 nothing feasible, 4 cannot write an output,\n"
                 "            130 interrupted\n\n"
                 "An output given as \"-\" goes to stdout, which then carries that document\n"
                 "alone (the summary goes to stderr); only one output per run can be \"-\".\n";
}

} // namespace

int main(int argc, char **argv)
{
    // A file-size limit (ulimit -f) then fails a write with EFBIG, reported like a full disk,
    // instead of killing the process mid-line.
    std::signal(SIGXFSZ, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        printHelp();
        return args.empty() ? phaze::cli::kExitBadInput : phaze::cli::kExitOk;
    }
    if (args[0] == "--version") {
        std::cout << "phaze " PHAZE_VERSION "\n";
        return 0;
    }
    for (const Subcommand &s : kSubcommands) {
        if (args[0] != s.name)
            continue;
        std::vector<std::string> rest(args.begin() + 1, args.end());
        for (const std::string &a : rest) {
            if (a == "--help" || a == "-h") {
                std::cout << "usage: phaze " << s.summary << "\n";
                return 0;
            }
        }
        try {
            return s.run(rest);
        } catch (const std::exception &e) {
            // The engine reports errors as statuses; this is a last line of defence.
            std::cerr << "phaze " << s.name << ": internal error: " << e.what() << "\n";
            return 1;
        }
    }
    std::cerr << "phaze: unknown subcommand \"" << args[0] << "\" (see phaze --help)\n";
    return phaze::cli::kExitBadInput;
}
