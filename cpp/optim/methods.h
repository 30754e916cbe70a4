// The one list of methods, in the order the registry (and so `descent list`
// and the page) shows them. Each is written once as an update template
// (update_method.h: one header); its float32 batch family follows from this
// list (cpp/batch/families.h). The registry, the batch engine's kernel table
// and through them the CLI, the page, the twin and golden tests and the
// benchmark rows all iterate this list. A new method is its header plus one
// entry here.
#pragma once

#include "optim/adadelta.h"
#include "optim/adagrad.h"
#include "optim/adam.h"
#include "optim/adamax.h"
#include "optim/adamw.h"
#include "optim/asgd.h"
#include "optim/lion.h"
#include "optim/nadam.h"
#include "optim/radam.h"
#include "optim/rmsprop.h"
#include "optim/rprop.h"
#include "optim/sgd.h"
#include "optim/update_method.h"

namespace descent::optim {

using Methods = MethodList<Sgd,      // sgd, momentum, momentum_ema
                           Adagrad,  // adagrad, adagrad_notes
                           Rmsprop,  // rmsprop, rmsprop_hinton
                           Adam,     // adam, adam_nobc
                           Adamw, Nadam, Radam, Adamax, Adadelta, Lion, Rprop, Asgd>;

}  // namespace descent::optim
