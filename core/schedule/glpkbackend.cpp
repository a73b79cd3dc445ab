#include "core/schedule/glpkbackend.h"

#include <algorithm>
#include <cmath>
#include <csetjmp>

#include <glpk.h>

namespace phaze {
namespace {

// The incumbent may violate rows by rounding only.
constexpr double kIncumbentTolerance = 1e-6;

struct Hook {
    std::jmp_buf env;
};

[[noreturn]] void onGlpkError(void *info)
{
    std::longjmp(static_cast<Hook *>(info)->env, 1);
}

struct CallbackState {
    const double *incumbent = nullptr; // 1-based, for glp_ios_heur_sol
    bool injected = false;
    const CancelToken *cancel = nullptr;
    bool cancelled = false;
    double bound = -kIlpInfinity;
};

void onBranchAndBound(glp_tree *tree, void *info)
{
    auto *state = static_cast<CallbackState *>(info);
    if (state->cancel->isCancelled()) {
        state->cancelled = true;
        glp_ios_terminate(tree);
        return;
    }
    if (const int best = glp_ios_best_node(tree); best != 0)
        state->bound = std::max(state->bound, glp_ios_node_bound(tree, best));
    if (glp_ios_reason(tree) == GLP_IHEUR && state->incumbent && !state->injected) {
        state->injected = true;
        glp_ios_heur_sol(tree, state->incumbent);
    }
}

// Everything GLPK needs, prepared before setjmp so that a longjmp out of GLPK skips no
// destructor.
struct Prepared {
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0.0};
    std::vector<double> incumbent; // 1-based
    std::vector<double> values;
};

int bounds(double lower, double upper)
{
    const bool hasLower = std::isfinite(lower), hasUpper = std::isfinite(upper);
    if (hasLower && hasUpper)
        return lower == upper ? GLP_FX : GLP_DB;
    return hasLower ? GLP_LO : hasUpper ? GLP_UP : GLP_FR;
}

// Runs GLPK; returns false when GLPK reported an error through its hook.
bool runGlpk(const IlpModel &model, const IlpSolveOptions &options, Prepared &prep,
             CallbackState &state, IlpSolution &out)
{
    Hook hook;
    glp_prob *volatile lp = nullptr;
    if (setjmp(hook.env) != 0) {
        glp_error_hook(nullptr, nullptr);
        glp_free_env(); // frees the problem too
        return false;
    }
    glp_error_hook(onGlpkError, &hook);
    glp_term_out(GLP_OFF);
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    const int columns = int(model.columns().size()), rows = int(model.rows().size());
    if (columns > 0)
        glp_add_cols(lp, columns);
    if (rows > 0)
        glp_add_rows(lp, rows);
    for (int c = 0; c < columns; ++c) {
        const IlpColumn &col = model.columns()[std::size_t(c)];
        glp_set_col_kind(lp, c + 1, col.integer ? GLP_IV : GLP_CV);
        glp_set_col_bnds(lp, c + 1, bounds(col.lower, col.upper),
                         std::isfinite(col.lower) ? col.lower : 0.0,
                         std::isfinite(col.upper) ? col.upper : 0.0);
        glp_set_obj_coef(lp, c + 1, col.objective);
    }
    for (int r = 0; r < rows; ++r) {
        const IlpRow &row = model.rows()[std::size_t(r)];
        glp_set_row_bnds(lp, r + 1, bounds(row.lower, row.upper),
                         std::isfinite(row.lower) ? row.lower : 0.0,
                         std::isfinite(row.upper) ? row.upper : 0.0);
    }
    glp_load_matrix(lp, int(prep.ia.size()) - 1, prep.ia.data(), prep.ja.data(), prep.ar.data());

    const int timeLimitMs = options.timeLimitSeconds > 0.0
                                ? int(std::clamp(options.timeLimitSeconds * 1000.0, 1.0, 2.0e9))
                                : 0;
    glp_smcp lpParams;
    glp_init_smcp(&lpParams);
    lpParams.msg_lev = GLP_MSG_OFF;
    lpParams.presolve = GLP_OFF;
    if (timeLimitMs > 0)
        lpParams.tm_lim = timeLimitMs;
    // The root relaxation cannot be interrupted; with the MIP presolver off it must be solved
    // here, which is what allows an incumbent to be injected.
    const int lpCode = glp_simplex(lp, &lpParams);
    if (lpCode == GLP_ETMLIM) {
        out.status = IlpStatus::NoSolution;
        out.message = "time limit reached in the root relaxation";
    } else if (lpCode != 0 || glp_get_status(lp) == GLP_UNBND) {
        out.status = IlpStatus::Error;
        out.message =
            "GLPK could not solve the root relaxation (code " + std::to_string(lpCode) + ")";
    } else if (glp_get_status(lp) == GLP_NOFEAS) {
        out.status = IlpStatus::Infeasible;
        out.message = "the relaxation is infeasible";
    } else {
        state.bound = glp_get_obj_val(lp);
        glp_iocp params;
        glp_init_iocp(&params);
        params.msg_lev = GLP_MSG_OFF;
        params.presolve = GLP_OFF;
        params.mip_gap = options.mipGap;
        params.tol_int = 1e-7;
        params.tol_obj = 1e-10;
        params.br_tech = GLP_BR_DTH;
        params.bt_tech = GLP_BT_BLB;
        params.cb_func = onBranchAndBound;
        params.cb_info = &state;
        if (timeLimitMs > 0)
            params.tm_lim = timeLimitMs;
        const int code = glp_intopt(lp, &params);
        const int mipStatus = glp_mip_status(lp);
        const bool haveSolution = mipStatus == GLP_OPT || mipStatus == GLP_FEAS;
        if (haveSolution) {
            for (int c = 0; c < columns; ++c)
                prep.values[std::size_t(c)] = glp_mip_col_val(lp, c + 1);
            out.objective = glp_mip_obj_val(lp);
        }
        if (state.cancelled) {
            out.status = IlpStatus::Cancelled;
        } else if (code == 0 && mipStatus == GLP_OPT) {
            out.status = IlpStatus::Optimal;
            state.bound = std::max(state.bound, out.objective);
        } else if (code == 0 && mipStatus == GLP_NOFEAS) {
            out.status = IlpStatus::Infeasible;
            out.message = "no integer solution exists";
        } else if ((code == 0 || code == GLP_ETMLIM || code == GLP_EMIPGAP) && haveSolution) {
            out.status = IlpStatus::Feasible;
            out.timeLimitReached = code == GLP_ETMLIM;
            out.message = code == GLP_ETMLIM ? "time limit reached" : "gap tolerance reached";
        } else if (code == GLP_ETMLIM) {
            out.status = IlpStatus::NoSolution;
            out.timeLimitReached = true;
            out.message = "time limit reached before any solution";
        } else {
            out.status = IlpStatus::Error;
            out.message = "GLPK branch and bound failed (code " + std::to_string(code) + ")";
        }
        if (haveSolution)
            out.values = prep.values;
    }
    out.bound = state.bound;
    out.incumbentUsed = state.injected;
    glp_delete_prob(lp);
    glp_error_hook(nullptr, nullptr);
    // Frees this thread's environment: pool threads then end without leaking it.
    glp_free_env();
    return true;
}

} // namespace

IlpSolution GlpkBackend::solve(const IlpModel &model, const IlpSolveOptions &options)
{
    IlpSolution out;
    if (const std::string problem = model.validate(); !problem.empty()) {
        out.message = "invalid model: " + problem;
        return out;
    }
    if (!(options.mipGap >= 0.0 && std::isfinite(options.mipGap)) ||
        !(options.timeLimitSeconds >= 0.0) || std::isnan(options.timeLimitSeconds)) {
        out.message = "invalid solver options: the gap and the time limit must be non-negative";
        return out;
    }
    if (options.cancel.isCancelled()) {
        out.status = IlpStatus::Cancelled;
        return out;
    }
    Prepared prep;
    for (std::size_t r = 0; r < model.rows().size(); ++r)
        for (const auto &[c, a] : model.rows()[r].terms) {
            prep.ia.push_back(int(r) + 1);
            prep.ja.push_back(c + 1);
            prep.ar.push_back(a);
        }
    prep.values.assign(model.columns().size(), 0.0);
    CallbackState state;
    state.cancel = &options.cancel;
    // GLPK does not check an injected point: only a point that satisfies the model goes in.
    if (!options.incumbent.empty() &&
        model.maxViolation(options.incumbent) <= kIncumbentTolerance) {
        prep.incumbent.push_back(0.0);
        prep.incumbent.insert(prep.incumbent.end(), options.incumbent.begin(),
                              options.incumbent.end());
        state.incumbent = prep.incumbent.data();
    }
    if (!runGlpk(model, options, prep, state, out)) {
        out = IlpSolution{};
        out.message = "GLPK reported an internal error";
    }
    return out;
}

} // namespace phaze
