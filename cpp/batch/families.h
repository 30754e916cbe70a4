// The one list of optimizer families the batch engine runs (XNNPACK style: one
// list drives the kernel table, the engine's dispatch, the twin tests and the
// benchmark). Each family names its kernel, the registry methods it serves
// (their traits types from cpp/optim/; the registry records each entry's
// traits type, so no id is listed twice), its per-step scalars and what it
// carries from step to step. AdamW runs Adam's kernel: its traits' hyper()
// sets decoupled weight decay. The methods written once (optim/methods.h)
// follow, each its own family (update_kernel.h), with no entry here.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <typeindex>

#include "batch/kernels.h"
#include "batch/optimizer_kernels.h"
#include "batch/update_kernel.h"
#include "optim/adagrad.h"
#include "optim/adam.h"
#include "optim/adamw.h"
#include "optim/methods.h"
#include "optim/nadam.h"
#include "optim/radam.h"
#include "optim/sgd.h"

namespace descent::batch {

struct NoCarry {};

// One family: Name, the kernel body K<V, U>, the Carry it keeps from step to
// step and the registry traits Served... (its per-step scalars are the
// step_scalars overload for their Hyper, optimizer_batch.cpp).
template <const char* Name, template <class, int> class K, class Carry_, class... Served>
struct Family {
  static constexpr const char* name = Name;
  using Carry = Carry_;
  template <class V, int U>
  static constexpr OptimizerKernel kernel = &K<V, U>::run;
  // Calls fn.template operator()<T>() with the served traits type T equal to `method`.
  template <class Fn>
  static void with_traits(std::type_index method, Fn&& fn) {
    (void)(((method == typeid(Served)) ? (fn.template operator()<Served>(), true) : false) || ...);
  }
};

template <class... F>
struct FamilyList;

// FamilyList<F...> followed by an UpdateFamily for each method of a MethodList
// written once (the others' families are listed below).
template <class List, class Methods>
struct WithUpdateMethods;
template <class... F>
struct WithUpdateMethods<FamilyList<F...>, optim::MethodList<>> {
  using type = FamilyList<F...>;
};
template <class... F, class M, class... Rest>
struct WithUpdateMethods<FamilyList<F...>, optim::MethodList<M, Rest...>> {
  using type = typename WithUpdateMethods<
      std::conditional_t<optim::is_update_method<M>, FamilyList<F..., UpdateFamily<M>>,
                         FamilyList<F...>>,
      optim::MethodList<Rest...>>::type;
};

template <class... F>
struct FamilyList {
  static constexpr std::size_t size = sizeof...(F);
  // fn.template operator()<F>(index) for each family in order.
  template <class Fn>
  static void each(Fn&& fn) {
    std::size_t i = 0;
    (fn.template operator()<F>(i++), ...);
  }
};

// The kernel bodies of optimizer_kernels.h as class templates (a function
// template cannot be a template template argument).
#define DESCENT_KERNEL_BODY(body)                                                             \
  template <class V, int U>                                                                  \
  struct body##_kernel {                                                                     \
    static void run(const StepScalars& k, std::size_t n, float* p, const float* g,          \
                    float* const* state, const std::uint32_t* live) {                        \
      kernels::body<V, U>(k, n, p, g, state, live);                                          \
    }                                                                                        \
  };
DESCENT_KERNEL_BODY(sgd_step)
DESCENT_KERNEL_BODY(adagrad_step)
DESCENT_KERNEL_BODY(adam_step)
DESCENT_KERNEL_BODY(nadam_step)
DESCENT_KERNEL_BODY(radam_step)
#undef DESCENT_KERNEL_BODY

struct NadamCarry {
  double mu_product = 1.0;  // mu_1 * ... * mu_t, as NadamState keeps it
};

namespace family_names {
inline constexpr char sgd[] = "sgd", adagrad[] = "adagrad",
                      adam[] = "adam", nadam[] = "nadam", radam[] = "radam";
}  // namespace family_names

using Families = typename WithUpdateMethods<FamilyList<
    Family<family_names::sgd, sgd_step_kernel, NoCarry, optim::SgdMethod>,
    Family<family_names::adagrad, adagrad_step_kernel, NoCarry, optim::AdagradMethod>,
    Family<family_names::adam, adam_step_kernel, NoCarry, optim::AdamMethod, optim::AdamWMethod>,
    Family<family_names::nadam, nadam_step_kernel, NadamCarry, optim::NadamMethod>,
    Family<family_names::radam, radam_step_kernel, NoCarry, optim::RadamMethod>>,
    optim::Methods>::type;

// The index of the family named `name` in Families; throws descent::Error.
std::size_t family_index(const std::string& name);

}  // namespace descent::batch
