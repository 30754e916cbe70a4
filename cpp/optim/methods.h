// The one list of methods, in the order the registry (and so `descent list`
// and the page) shows them. Each is written once as an update template
// (update_method.h: one header, and its float32 batch family follows from this
// list, cpp/batch/families.h), or, for the methods not yet in that shape, its
// `register_<method>` function (its batch family is listed in families.h). The
// registry, the batch engine's kernel table and through them the CLI, the page,
// the twin and golden tests and the benchmark rows all iterate this list. A new
// method is its header plus one entry here.
#pragma once

#include "optim/adadelta.h"
#include "optim/adamax.h"
#include "optim/asgd.h"
#include "optim/lion.h"
#include "optim/registry_builder.h"
#include "optim/rmsprop.h"
#include "optim/rprop.h"
#include "optim/update_method.h"

namespace descent::optim {

// A method in the older shape: the function that adds its registry entries.
template <void (*Register)(RegistryBuilder&)>
struct Registered {
  static void add_to(RegistryBuilder& builder) { Register(builder); }
};

template <class M>
inline constexpr bool is_update_method = requires { M::kState; };

using Methods =
    MethodList<Registered<&register_sgd>,      // sgd, momentum, momentum_ema
               Registered<&register_adagrad>,  // adagrad, adagrad_notes
               Rmsprop,                        // rmsprop, rmsprop_hinton
               Registered<&register_adam>,     // adam, adam_nobc
               Registered<&register_adamw>, Registered<&register_nadam>,
               Registered<&register_radam>, Adamax, Adadelta, Lion, Rprop, Asgd>;

}  // namespace descent::optim
