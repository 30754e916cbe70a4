// The methods written once as update templates (update_method.h), in the order
// the registry lists them after the others: the one list the registry, the
// batch engine's kernel table (cpp/batch/families.h) and through them the CLI,
// the page, the twin and golden tests and the benchmark rows iterate. A new
// method is its header plus one entry here.
#pragma once

#include "optim/asgd.h"
#include "optim/rprop.h"
#include "optim/update_method.h"

namespace descent::optim {

using UpdateMethods = MethodList<Rprop, Asgd>;

}  // namespace descent::optim
