// The one list of optimizer families the batch engine runs (XNNPACK style: one
// list drives the kernel table, the engine's dispatch, the twin tests and the
// benchmark): a family for each method of optim::Methods, in its order. Each
// family's float32 kernel is the method's own update<V, float> on lanes and its
// per-step scalars the method's coefficients (update_kernel.h); the registry
// records each entry's traits type, so no id is listed twice.
#pragma once

#include <cstddef>
#include <string>

#include "batch/update_kernel.h"
#include "optim/methods.h"

namespace descent::batch {

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

template <class Methods>
struct FamiliesOf;
template <class... M>
struct FamiliesOf<optim::MethodList<M...>> {
  using type = FamilyList<UpdateFamily<M>...>;
};

using Families = FamiliesOf<optim::Methods>::type;

// The index of the family named `name` in Families; throws descent::Error.
std::size_t family_index(const std::string& name);

}  // namespace descent::batch
