// Forward-mode automatic differentiation over (x, y): a Dual carries a value and
// its two partial derivatives, and every operation applies the chain rule. That
// gives a formula's exact gradient in one pass, with no finite differences.
//
// The functions come in pairs, one for double and one for Dual, so the stack
// machine (execute.h) is written once for both. A Dual's value is computed by
// the same double function, so value-only and gradient evaluation agree to the
// bit.
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

namespace descent::surfaces::formula {

struct Dual {
  double v = 0.0;   // value
  double dx = 0.0;  // d/dx
  double dy = 0.0;  // d/dy
};

// ---- double functions that std does not provide with the semantics we want

// a^n by repeated squaring: exact signs for negative a, the same result on
// every platform (std::pow may differ in the last bit between libms).
inline double pow_int(double a, std::int32_t n) {
  std::int64_t k = n < 0 ? -static_cast<std::int64_t>(n) : n;
  double result = 1.0, base = a;
  while (k > 0) {
    if (k & 1) result *= base;
    k >>= 1;
    if (k > 0) base *= base;
  }
  return n < 0 ? 1.0 / result : result;
}

// NaN in either operand gives NaN (std::min and std::fmin would hide it).
inline double minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return b < a ? b : a;
}
inline double maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return b > a ? b : a;
}

// ---- chain rule helpers

// slope * d, except that a zero tangent stays zero (see the header comment).
inline double scale(double slope, double d) { return d == 0.0 ? 0.0 : slope * d; }

// f(a), given f(a.v) and f'(a.v).
inline Dual chain(double value, double slope, const Dual& a) {
  return {value, scale(slope, a.dx), scale(slope, a.dy)};
}

// f(a, b), given f and its partial derivatives at (a.v, b.v).
inline Dual chain(double value, double slope_a, const Dual& a, double slope_b, const Dual& b) {
  return {value, scale(slope_a, a.dx) + scale(slope_b, b.dx),
          scale(slope_a, a.dy) + scale(slope_b, b.dy)};
}

// ---- arithmetic

inline Dual operator-(const Dual& a) { return {-a.v, -a.dx, -a.dy}; }
inline Dual operator+(const Dual& a, const Dual& b) {
  return {a.v + b.v, a.dx + b.dx, a.dy + b.dy};
}
inline Dual operator-(const Dual& a, const Dual& b) {
  return {a.v - b.v, a.dx - b.dx, a.dy - b.dy};
}
inline Dual operator*(const Dual& a, const Dual& b) {
  return {a.v * b.v, a.dx * b.v + a.v * b.dx, a.dy * b.v + a.v * b.dy};
}
inline Dual operator/(const Dual& a, const Dual& b) {
  const double q = a.v / b.v;
  return {q, (a.dx - q * b.dx) / b.v, (a.dy - q * b.dy) / b.v};
}

// a^b for any b: d = b a^(b-1) da + a^b ln(a) db. For a < 0 the ln term is NaN,
// but it only counts where b actually varies.
inline Dual pow(const Dual& a, const Dual& b) {
  const double value = std::pow(a.v, b.v);
  return chain(value, b.v * std::pow(a.v, b.v - 1.0), a, value * std::log(a.v), b);
}

inline Dual pow_int(const Dual& a, std::int32_t n) {
  const double slope = n == 0 ? 0.0 : n * pow_int(a.v, n - 1);
  return chain(pow_int(a.v, n), slope, a);
}

// ---- elementary functions

inline Dual sin(const Dual& a) { return chain(std::sin(a.v), std::cos(a.v), a); }
inline Dual cos(const Dual& a) { return chain(std::cos(a.v), -std::sin(a.v), a); }
inline Dual tan(const Dual& a) {
  const double t = std::tan(a.v);
  return chain(t, 1.0 + t * t, a);
}
inline Dual asin(const Dual& a) {
  return chain(std::asin(a.v), 1.0 / std::sqrt(1.0 - a.v * a.v), a);
}
inline Dual acos(const Dual& a) {
  return chain(std::acos(a.v), -1.0 / std::sqrt(1.0 - a.v * a.v), a);
}
inline Dual atan(const Dual& a) { return chain(std::atan(a.v), 1.0 / (1.0 + a.v * a.v), a); }
inline Dual sinh(const Dual& a) { return chain(std::sinh(a.v), std::cosh(a.v), a); }
inline Dual cosh(const Dual& a) { return chain(std::cosh(a.v), std::sinh(a.v), a); }
inline Dual tanh(const Dual& a) {
  const double t = std::tanh(a.v);
  return chain(t, 1.0 - t * t, a);
}
inline Dual exp(const Dual& a) {
  const double value = std::exp(a.v);
  return chain(value, value, a);
}
inline Dual log(const Dual& a) { return chain(std::log(a.v), 1.0 / a.v, a); }
inline Dual log10(const Dual& a) {
  return chain(std::log10(a.v), 1.0 / (a.v * std::numbers::ln10), a);
}
inline Dual sqrt(const Dual& a) {
  const double value = std::sqrt(a.v);
  return chain(value, 0.5 / value, a);
}
inline Dual abs(const Dual& a) {
  return chain(std::abs(a.v), a.v > 0.0 ? 1.0 : (a.v < 0.0 ? -1.0 : 0.0), a);
}

// d atan2(a, b) = (b da - a db) / (a^2 + b^2); NaN at the origin, where the
// angle jumps.
inline Dual atan2(const Dual& a, const Dual& b) {
  const double r2 = a.v * a.v + b.v * b.v;
  return chain(std::atan2(a.v, b.v), b.v / r2, a, -a.v / r2, b);
}

inline Dual hypot(const Dual& a, const Dual& b) {
  const double h = std::hypot(a.v, b.v);
  if (h == 0.0) return {0.0, 0.0, 0.0};
  return chain(h, a.v / h, a, b.v / h, b);
}

// The side that is chosen gets the slope; a tie shares it.
inline Dual minimum(const Dual& a, const Dual& b) {
  const double wa = a.v < b.v ? 1.0 : (b.v < a.v ? 0.0 : 0.5);
  return chain(minimum(a.v, b.v), wa, a, 1.0 - wa, b);
}
inline Dual maximum(const Dual& a, const Dual& b) {
  const double wa = a.v > b.v ? 1.0 : (b.v > a.v ? 0.0 : 0.5);
  return chain(maximum(a.v, b.v), wa, a, 1.0 - wa, b);
}

}  // namespace descent::surfaces::formula
