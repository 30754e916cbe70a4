// Forward-mode automatic differentiation over (x, y): a Dual carries a value and
// its two partial derivatives, and every operation applies the chain rule. That
// gives a formula's exact gradient in one pass, with no finite differences.
//
// The rules are written once, over the number type T of the value and the
// tangents, and serve every engine:
// - double: the CLI and the session (execute.h's stack machine);
// - float lanes (cpp/lanes/): the batch engine's lane interpreter
//   (batch/formula_lanes.h), scalar and wasm_simd128 twins;
// - the run-time WebAssembly emitter's values (batch/formula_wasm.cpp), whose
//   operations append SIMD instructions: the compiled kernel is this text.
// T needs + - * / and unary -, number<T> (below), select(mask, a, b),
// eq(a, b) and lt(a, b) giving masks that combine with &, and the value
// functions an op uses (sin, sqrt, minimum, ...), found by overload: for double
// the ones below, for lanes cpp/lanes/ (formula_functions.h among them), for
// the emitter its own (which has only what its ops need). A Dual's value is
// computed by the same function as the value alone, so value-only and gradient
// evaluation agree to the bit.
//
// Conventions where the derivative does not exist or is infinite:
// - A zero tangent stays zero: f(a) with da == 0 contributes 0 even where f' is
//   infinite (sqrt at 0) or undefined. So sqrt(x^2 + y^2) has gradient (0, 0)
//   at the origin (a valid subgradient) instead of NaN, and x^2.5 at x = 0 is 0.
// - abs'(0) = 0; min/max at a tie take the average of both sides (as JAX does).
// - hypot at (0, 0) has gradient (0, 0), matching sqrt(x^2 + y^2).
// - Otherwise a point outside the domain gives NaN or inf (log(-1),
//   sqrt'(0) with a moving input, a negative base to a non-integer power),
//   which the session reports as divergence.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <type_traits>

#include "common/inline.h"
#include "common/number_ops.h"

namespace descent::surfaces::formula {

template <class T>
struct Dual {
  T v{};   // value
  T dx{};  // d/dx
  T dy{};  // d/dy
};

// ---- the number type's operations for double --------------------------------

using std::abs, std::acos, std::asin, std::atan, std::atan2, std::cos, std::cosh, std::exp,
    std::hypot, std::log, std::log10, std::pow, std::sin, std::sinh, std::sqrt, std::tan,
    std::tanh;

// eq, lt, select, sincos and number<T> for double: common/number_ops.h.

// a^(b - 1), for pow's slope.
inline double pow_lower(double a, double b) { return std::pow(a, b - 1.0); }

// NaN in either operand gives NaN (std::min and std::fmin would hide it).
inline double minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return b < a ? b : a;
}
inline double maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return b > a ? b : a;
}

// ---- for every number type ---------------------------------------------------

// NaN in either operand gives NaN (a + b, which is one), else the smaller (the
// larger): min and max over lanes, where NaN is the lanes that differ from
// themselves. Double has its own above.
template <class T>
  requires(!std::is_floating_point_v<T>)
DESCENT_INLINE T minimum(const T& a, const T& b) {
  return select(eq(a, a) & eq(b, b), select(lt(b, a), b, a), a + b);
}
template <class T>
  requires(!std::is_floating_point_v<T>)
DESCENT_INLINE T maximum(const T& a, const T& b) {
  return select(eq(a, a) & eq(b, b), select(lt(a, b), b, a), a + b);
}

// a^n by repeated squaring: exact signs for negative a, the same result on
// every platform (std::pow may differ in the last bit between libms). The
// first factor is taken as it is (1 * base is base).
template <class T>
DESCENT_INLINE T pow_int(const T& a, std::int32_t n) {
  std::int64_t k = n < 0 ? -static_cast<std::int64_t>(n) : n;
  T result = number<T>(1.0), base = a;
  bool first = true;
  while (k > 0) {
    if (k & 1) {
      result = first ? base : result * base;
      first = false;
    }
    k >>= 1;
    if (k > 0) base = base * base;
  }
  return n < 0 ? number<T>(1.0) / result : result;
}

// ---- chain rule helpers

// slope * d, except that a zero tangent stays zero (see the header comment).
template <class T>
DESCENT_INLINE T scale(const T& slope, const T& d) {
  const T zero = number<T>(0.0);
  return select(eq(d, zero), zero, slope * d);
}

// f(a), given f(a.v) and f'(a.v).
template <class T>
DESCENT_INLINE Dual<T> chain(const T& value, const T& slope, const Dual<T>& a) {
  return {value, scale(slope, a.dx), scale(slope, a.dy)};
}

// f(a, b), given f and its partial derivatives at (a.v, b.v).
template <class T>
DESCENT_INLINE Dual<T> chain(const T& value, const T& slope_a, const Dual<T>& a, const T& slope_b,
              const Dual<T>& b) {
  return {value, scale(slope_a, a.dx) + scale(slope_b, b.dx),
          scale(slope_a, a.dy) + scale(slope_b, b.dy)};
}

// ---- arithmetic

template <class T>
DESCENT_INLINE Dual<T> operator-(const Dual<T>& a) {
  return {-a.v, -a.dx, -a.dy};
}
template <class T>
DESCENT_INLINE Dual<T> operator+(const Dual<T>& a, const Dual<T>& b) {
  return {a.v + b.v, a.dx + b.dx, a.dy + b.dy};
}
template <class T>
DESCENT_INLINE Dual<T> operator-(const Dual<T>& a, const Dual<T>& b) {
  return {a.v - b.v, a.dx - b.dx, a.dy - b.dy};
}
template <class T>
DESCENT_INLINE Dual<T> operator*(const Dual<T>& a, const Dual<T>& b) {
  return {a.v * b.v, a.dx * b.v + a.v * b.dx, a.dy * b.v + a.v * b.dy};
}
template <class T>
DESCENT_INLINE Dual<T> operator/(const Dual<T>& a, const Dual<T>& b) {
  const T q = a.v / b.v;
  return {q, (a.dx - q * b.dx) / b.v, (a.dy - q * b.dy) / b.v};
}

// a^b for any b: d = b a^(b-1) da + a^b ln(a) db. For a < 0 the ln term is NaN,
// but it only counts where b actually varies.
template <class T>
DESCENT_INLINE Dual<T> pow(const Dual<T>& a, const Dual<T>& b) {
  const T value = pow(a.v, b.v);
  return chain(value, b.v * pow_lower(a.v, b.v), a, value * log(a.v), b);
}

template <class T>
DESCENT_INLINE Dual<T> pow_int(const Dual<T>& a, std::int32_t n) {
  const T slope = n == 0 ? number<T>(0.0) : pow_int(a.v, n - 1) * number<T>(n);
  return chain(pow_int(a.v, n), slope, a);
}

// ---- elementary functions

template <class T>
DESCENT_INLINE Dual<T> sin(const Dual<T>& a) {
  const auto sc = sincos(a.v);
  return chain(sc.sin, sc.cos, a);
}
template <class T>
DESCENT_INLINE Dual<T> cos(const Dual<T>& a) {
  const auto sc = sincos(a.v);
  return chain(sc.cos, -sc.sin, a);
}
template <class T>
DESCENT_INLINE Dual<T> tan(const Dual<T>& a) {
  const T t = tan(a.v);
  return chain(t, number<T>(1.0) + t * t, a);
}
template <class T>
DESCENT_INLINE Dual<T> asin(const Dual<T>& a) {
  const T one = number<T>(1.0);
  return chain(asin(a.v), one / sqrt(one - a.v * a.v), a);
}
template <class T>
DESCENT_INLINE Dual<T> acos(const Dual<T>& a) {
  const T one = number<T>(1.0);
  return chain(acos(a.v), -(one / sqrt(one - a.v * a.v)), a);
}
template <class T>
DESCENT_INLINE Dual<T> atan(const Dual<T>& a) {
  const T one = number<T>(1.0);
  return chain(atan(a.v), one / (one + a.v * a.v), a);
}
template <class T>
DESCENT_INLINE Dual<T> sinh(const Dual<T>& a) {
  return chain(sinh(a.v), cosh(a.v), a);
}
template <class T>
DESCENT_INLINE Dual<T> cosh(const Dual<T>& a) {
  return chain(cosh(a.v), sinh(a.v), a);
}
template <class T>
DESCENT_INLINE Dual<T> tanh(const Dual<T>& a) {
  const T t = tanh(a.v);
  return chain(t, number<T>(1.0) - t * t, a);
}
template <class T>
DESCENT_INLINE Dual<T> exp(const Dual<T>& a) {
  const T value = exp(a.v);
  return chain(value, value, a);
}
template <class T>
DESCENT_INLINE Dual<T> log(const Dual<T>& a) {
  return chain(log(a.v), number<T>(1.0) / a.v, a);
}
template <class T>
DESCENT_INLINE Dual<T> log10(const Dual<T>& a) {
  return chain(log10(a.v), number<T>(1.0) / (a.v * number<T>(std::numbers::ln10)), a);
}
template <class T>
DESCENT_INLINE Dual<T> sqrt(const Dual<T>& a) {
  const T value = sqrt(a.v);
  return chain(value, number<T>(0.5) / value, a);
}
template <class T>
DESCENT_INLINE Dual<T> abs(const Dual<T>& a) {
  const T zero = number<T>(0.0), one = number<T>(1.0);
  return chain(abs(a.v), select(lt(zero, a.v), one, select(lt(a.v, zero), -one, zero)), a);
}

// d atan2(a, b) = (b da - a db) / (a^2 + b^2); NaN at the origin, where the
// angle jumps.
template <class T>
DESCENT_INLINE Dual<T> atan2(const Dual<T>& a, const Dual<T>& b) {
  const T r2 = a.v * a.v + b.v * b.v;
  return chain(atan2(a.v, b.v), b.v / r2, a, -a.v / r2, b);
}

template <class T>
DESCENT_INLINE Dual<T> hypot(const Dual<T>& a, const Dual<T>& b) {
  const T h = hypot(a.v, b.v), zero = number<T>(0.0);
  const Dual<T> d = chain(h, a.v / h, a, b.v / h, b);
  const auto origin = eq(h, zero);
  return {select(origin, zero, d.v), select(origin, zero, d.dx), select(origin, zero, d.dy)};
}

// The side that is chosen gets the slope; a tie shares it.
template <class T>
DESCENT_INLINE Dual<T> minimum(const Dual<T>& a, const Dual<T>& b) {
  const T zero = number<T>(0.0), half = number<T>(0.5), one = number<T>(1.0);
  const T wa = select(lt(a.v, b.v), one, select(lt(b.v, a.v), zero, half));
  return chain(minimum(a.v, b.v), wa, a, one - wa, b);
}
template <class T>
DESCENT_INLINE Dual<T> maximum(const Dual<T>& a, const Dual<T>& b) {
  const T zero = number<T>(0.0), half = number<T>(0.5), one = number<T>(1.0);
  const T wa = select(lt(b.v, a.v), one, select(lt(a.v, b.v), zero, half));
  return chain(maximum(a.v, b.v), wa, a, one - wa, b);
}

}  // namespace descent::surfaces::formula
