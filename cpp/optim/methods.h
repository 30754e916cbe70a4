// The methods written once as update templates (update_method.h), in the order
// the registry lists them after the others (sgd ... radam): the one list the registry, the
// batch engine's kernel table (cpp/batch/families.h) and through them the CLI,
// the page, the twin and golden tests and the benchmark rows iterate. A new
// method is its header plus one entry here.
#pragma once

#include "optim/adadelta.h"
#include "optim/adamax.h"
#include "optim/asgd.h"
#include "optim/lion.h"
#include "optim/rprop.h"
#include "optim/update_method.h"

namespace descent::optim {

using UpdateMethods = MethodList<Adamax, Adadelta, Lion, Rprop, Asgd>;

}  // namespace descent::optim
