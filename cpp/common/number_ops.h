// The lane operations of cpp/lanes/ for one double, with the same meaning, so
// code written once over a number type (an optimizer's update rule in
// cpp/optim/, a built-in surface and the formula rules in cpp/surfaces/) reads
// the same for double as for float lanes, whose own versions argument-
// dependent lookup finds. This folder includes nothing of cpp/lanes/.
#pragma once

#include <cmath>
#include <type_traits>

#include "common/inline.h"

namespace descent {

DESCENT_INLINE bool eq(double a, double b) { return a == b; }
DESCENT_INLINE bool lt(double a, double b) { return a < b; }
DESCENT_INLINE double select(bool on, double a, double b) { return on ? a : b; }
// WebAssembly's pmin and pmax: b < a ? b : a and a < b ? b : a.
DESCENT_INLINE double pmin(double a, double b) { return b < a ? b : a; }
DESCENT_INLINE double pmax(double a, double b) { return a < b ? b : a; }

template <class T>
struct SinCos {
  T sin;
  T cos;
};
DESCENT_INLINE SinCos<double> sincos(double x) { return {std::sin(x), std::cos(x)}; }

// The constant c as the number type T: itself for a double, every lane
// (rounded to float) for a lane type.
template <class T>
DESCENT_INLINE T number(double c) {
  if constexpr (std::is_floating_point_v<T>) return static_cast<T>(c);
  else return T::splat(static_cast<float>(c));
}

}  // namespace descent
