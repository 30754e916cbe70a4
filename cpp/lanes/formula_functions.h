// The rest of the functions a typed formula's rules (surfaces/formula/dual.h)
// call on float lanes, beyond lane_functions.h (exp, log, sincos) and the
// arithmetic of lane_ops.h: tan and log10 from those, and the rarer asin, acos,
// atan, sinh, cosh, tanh, atan2, hypot and non-integer pow through the libm per
// lane in double, rounded to float (lane_ops.h's per_lane: the same calls in
// both twins, so still the same bits, at scalar speed).
#pragma once

#include <cmath>
#include <numbers>

#include "lanes/lane_functions.h"
#include "lanes/lane_ops.h"

namespace descent::lanes {

template <FloatLanes V>
DESCENT_INLINE V tan(V a) {
  const SinCos<V> sc = sincos(a);
  return sc.sin / sc.cos;
}
template <FloatLanes V>
DESCENT_INLINE V log10(V a) {
  return log(a) * static_cast<float>(1.0 / std::numbers::ln10);
}

// f through the libm per lane: one operand (asin, ...) or two (atan2, ...).
#define DESCENT_LANE_LIBM(f)                                              \
  template <FloatLanes V>                                                 \
  DESCENT_INLINE V f(V a) {                                          \
    return per_lane(a, [](double u) { return std::f(u); });               \
  }
#define DESCENT_LANE_LIBM2(f)                                             \
  template <FloatLanes V>                                                 \
  DESCENT_INLINE V f(V a, V b) {                                     \
    return per_lane(a, b, [](double u, double w) { return std::f(u, w); }); \
  }
DESCENT_LANE_LIBM(asin)
DESCENT_LANE_LIBM(acos)
DESCENT_LANE_LIBM(atan)
DESCENT_LANE_LIBM(sinh)
DESCENT_LANE_LIBM(cosh)
DESCENT_LANE_LIBM(tanh)
DESCENT_LANE_LIBM2(atan2)
DESCENT_LANE_LIBM2(hypot)
DESCENT_LANE_LIBM2(pow)
#undef DESCENT_LANE_LIBM
#undef DESCENT_LANE_LIBM2

// a^(b - 1), for pow's slope: b - 1 in double, as the double rule computes it.
template <FloatLanes V>
DESCENT_INLINE V pow_lower(V a, V b) {
  return per_lane(a, b, [](double u, double w) { return std::pow(u, w - 1.0); });
}

}  // namespace descent::lanes
