#pragma once

// Resolves a project once (core/evaluation/preparedproject.h): reads its technology file and
// builds every model at every microbatch size and tensor-parallel width the search explores
// (zoo models in code, imported graphs from their files). The only step between a project spec
// and an evaluation that touches the disk.

#include <memory>
#include <string>

#include "core/base/status.h"
#include "core/evaluation/evaluator.h"
#include "core/evaluation/preparedproject.h"
#include "core/io/modelloader.h"
#include "core/spec/projectspec.h"

namespace phaze {

// Optimal with the prepared project, or Error with the diagnostics as the technology or model
// loader gave them; the message is the error as the search reports it, prefixed with the label
// of the model that did not build: "graphs/x.json: graphs/x.json:3:5: ...".
Result<std::shared_ptr<const PreparedProject>> prepareProject(const ProjectSpec &spec,
                                                              const std::string &baseDir);

// One model of the project built at one microbatch size and tensor-parallel width, as every
// consumer builds it (prepareProject, `phaze check`): an imported graph keeps its own width.
Result<ModelGraph> buildModelVariant(const ProjectSpec &spec, const ModelRef &ref, int microbatch,
                                     int width, const std::string &baseDir);

// A new evaluator (with empty caches) of the prepared project, or the error.
Result<std::shared_ptr<const Evaluator>> evaluatorFor(const ProjectSpec &spec,
                                                      const std::string &baseDir);

} // namespace phaze
