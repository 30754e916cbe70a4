// The built-in surfaces over float lanes: cpp/surfaces/builtin_functions.h's
// templates, the catalogue's own value and gradient, instantiated with a lane
// type (the lane exp, sqrt, sincos, eq and select of cpp/lanes/ found by
// argument-dependent lookup). Every built-in gets a dedicated kernel this way;
// a typed formula runs through the lane interpreter (formula_lanes.h) instead.
// tests/native/batch/ checks every catalogue entry has a kernel and agrees
// with the double evaluation.
#pragma once

#include "lanes/lane_functions.h"
#include "surfaces/builtin_functions.h"

namespace descent::batch::kernels {

using namespace ::descent::lanes;

// A surface's value and gradient on lanes: the catalogue's own record type.
template <class V>
using Eval = surfaces::ValueAndGradient<V>;

// Built-in S as kernel_set_body.h calls it: `id` and at(x, y, params), params
// the built-in's parameter values in the catalogue's order.
template <class S>
struct LaneSurface {
  static constexpr const char* id = S::id;
  template <class V>
  DESCENT_INLINE static Eval<V> at(V x, V y, const float* params) {
    return S::at(x, y, params);
  }
};

template <template <class...> class List>
struct OfLaneSurfaces {
  template <class... S>
  using Type = List<LaneSurface<S>...>;
};

// Every built-in's kernel; kernel_set_body.h makes one entry per twin.
template <template <class...> class List>
using AllSurfaces = surfaces::builtin::AllBuiltins<OfLaneSurfaces<List>::template Type>;

}  // namespace descent::batch::kernels
