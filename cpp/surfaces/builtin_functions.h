// The built-in surfaces' value and exact gradient, each written once as a
// template over the number type T: the catalogue (catalogue.cpp) instantiates
// it with double, the batch engine (cpp/batch/surface_kernels.h) with float
// lanes. The catalogue keeps what the page shows (name, formula, view, start,
// minima); AllBuiltins is the list the batch engine makes its kernels from.
//
// A body uses only + - * / (with double constants on either side), unary
// minus and a few free functions: exp, sqrt, sincos (.sin, .cos), eq and
// select (a branch as a choice, so lanes can take it). For double, exp and
// sqrt are below and the rest common/number_ops.h's; for a lane type,
// argument-dependent lookup finds cpp/lanes/'s, so this folder includes
// nothing from there. The
// constants stay double: a double instantiation computes in double, and a lane
// type's operators round each constant to float where it meets a lane (so
// `10 * w * sin(w * x)` multiplies by float(20 pi)).
//
// The operation order is the double code's, kept bit for bit (tests/golden/
// cli.txt); the float lanes follow the same order. Every function is forced
// inline: in the lane kernels it sits in the innermost loop.
//
// Params: the built-in's parameter values in the catalogue's order (a span of
// double, or the batch engine's float array).
#pragma once

#include <cmath>
#include <numbers>
#include <type_traits>

#include "common/inline.h"
#include "common/number_ops.h"
#include "surfaces/surface.h"

namespace descent::surfaces::builtin {

inline constexpr double kPi = std::numbers::pi;

// ---- the few functions a body calls, for double -----------------------------

DESCENT_INLINE double exp(double x) { return std::exp(x); }
DESCENT_INLINE double sqrt(double x) { return std::sqrt(x); }
// sincos, eq, select and number<T> for double: common/number_ops.h.

// ---- the surfaces ------------------------------------------------------------
// Each: `id` (the catalogue's) and at(x, y, params).

struct Quadratic {
  static constexpr const char* id = "quadratic";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params p) {
    const auto kappa = p[0];
    return {0.5 * (x * x + kappa * (y * y)), x, kappa * y};
  }
};

// 0.5 (u^2 + kappa v^2) with u = (x + y)/sqrt 2, v = (x - y)/sqrt 2.
struct RotatedQuadratic {
  static constexpr const char* id = "rotated_quadratic";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params p) {
    const auto kappa = p[0];
    const T s = x + y, d = x - y;
    return {0.25 * (s * s + kappa * (d * d)), 0.5 * (s + kappa * d), 0.5 * (s - kappa * d)};
  }
};

struct Booth {
  static constexpr const char* id = "booth";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T a = x + 2 * y - 7, b = 2 * x + y - 5;
    return {a * a + b * b, 2 * a + 4 * b, 4 * a + 2 * b};
  }
};

struct Matyas {
  static constexpr const char* id = "matyas";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    return {0.26 * (x * x + y * y) - 0.48 * x * y, 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x};
  }
};

struct Rosenbrock {
  static constexpr const char* id = "rosenbrock";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T a = 1.0 - x;
    const T b = y - x * x;
    return {a * a + 100.0 * b * b, -2.0 * a - 400.0 * x * b, 200.0 * b};
  }
};

struct Beale {
  static constexpr const char* id = "beale";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T y2 = y * y, y3 = y2 * y;
    const T a = 1.5 - x + x * y, b = 2.25 - x + x * y2, c = 2.625 - x + x * y3;
    return {a * a + b * b + c * c, 2 * (a * (y - 1) + b * (y2 - 1) + c * (y3 - 1)),
            2 * x * (a + 2 * b * y + 3 * c * y2)};
  }
};

struct Himmelblau {
  static constexpr const char* id = "himmelblau";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T a = x * x + y - 11, b = x + y * y - 7;
    return {a * a + b * b, 4 * x * a + 2 * b, 2 * a + 4 * y * b};
  }
};

// A gentle bowl with a deep narrow well at (2, 1) and a shallow wide one at (-2, -1).
struct GaussianWells {
  static constexpr const char* id = "gaussian_wells";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T g1 = exp(-((x - 2) * (x - 2) + (y - 1) * (y - 1)));
    const T g2 = exp(-((x + 2) * (x + 2) + (y + 1) * (y + 1)) / 2);
    return {0.1 * (x * x + y * y) - 3 * g1 - 2 * g2,
            0.2 * x + 6 * (x - 2) * g1 + 2 * (x + 2) * g2,
            0.2 * y + 6 * (y - 1) * g1 + 2 * (y + 1) * g2};
  }
};

struct ThreeHumpCamel {
  static constexpr const char* id = "three_hump_camel";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T x2 = x * x, x3 = x2 * x;
    return {2 * x2 - 1.05 * x2 * x2 + x3 * x3 / 6 + x * y + y * y,
            4 * x - 4.2 * x3 + x3 * x2 + y, x + 2 * y};
  }
};

struct SixHumpCamel {
  static constexpr const char* id = "six_hump_camel";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T x2 = x * x, y2 = y * y;
    return {(4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2,
            8 * x - 8.4 * x2 * x + 2 * x2 * x2 * x + y, x - 8 * y + 16 * y2 * y};
  }
};

struct StyblinskiTang {
  static constexpr const char* id = "styblinski_tang";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T x2 = x * x, y2 = y * y;
    return {0.5 * (x2 * x2 - 16 * x2 + 5 * x + y2 * y2 - 16 * y2 + 5 * y),
            2 * x2 * x - 16 * x + 2.5, 2 * y2 * y - 16 * y + 2.5};
  }
};

struct McCormick {
  static constexpr const char* id = "mccormick";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const auto s = sincos(x + y);
    const T d = x - y;
    return {s.sin + d * d - 1.5 * x + 2.5 * y + 1, s.cos + 2 * d - 1.5, s.cos - 2 * d + 2.5};
  }
};

struct GoldsteinPrice {
  static constexpr const char* id = "goldstein_price";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T a = x + y + 1, b = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
    const T c = 2 * x - 3 * y, d = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
    const T p = 1 + a * a * b, q = 30 + c * c * d;
    // b and d's own partial derivatives
    const T bx = -14 + 6 * x + 6 * y, dx = -32 + 24 * x - 36 * y, dy = 48 - 36 * x + 54 * y;
    const T px = 2 * a * b + a * a * bx;  // = py: a and b change alike in x and y
    const T qx = 4 * c * d + c * c * dx, qy = -6 * c * d + c * c * dy;
    return {p * q, px * q + p * qx, px * q + p * qy};
  }
};

struct Rastrigin {
  static constexpr const char* id = "rastrigin";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    constexpr double w = 2 * kPi;
    const auto sx = sincos(w * x), sy = sincos(w * y);
    return {20 + x * x + y * y - 10 * (sx.cos + sy.cos), 2 * x + 10 * w * sx.sin,
            2 * y + 10 * w * sy.sin};
  }
};

// The cone term is not differentiable at the origin; its gradient there is
// taken as 0 (a subgradient), as the typed formula's automatic
// differentiation does.
struct Ackley {
  static constexpr const char* id = "ackley";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    constexpr double w = 2 * kPi;
    const T r = sqrt(0.5 * (x * x + y * y));
    const T cone = exp(-0.2 * r);
    const auto sx = sincos(w * x), sy = sincos(w * y);
    const T ripple = exp(0.5 * (sx.cos + sy.cos));
    const T zero = number<T>(0);
    const T slope = select(eq(r, zero), zero, 2 * cone / r);  // d/dx of the cone term is slope * x
    return {-20 * cone - ripple + std::numbers::e + 20, slope * x + kPi * sx.sin * ripple,
            slope * y + kPi * sy.sin * ripple};
  }
};

struct Easom {
  static constexpr const char* id = "easom";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    const T g = exp(-((x - kPi) * (x - kPi) + (y - kPi) * (y - kPi)));
    const auto sx = sincos(x), sy = sincos(y);
    return {-sx.cos * sy.cos * g, g * sy.cos * (sx.sin + 2 * (x - kPi) * sx.cos),
            g * sx.cos * (sy.sin + 2 * (y - kPi) * sy.cos)};
  }
};

struct Saddle {
  static constexpr const char* id = "saddle";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    return {x * x - y * y, 2 * x, -2 * y};
  }
};

struct MonkeySaddle {
  static constexpr const char* id = "monkey_saddle";
  template <class T, class Params>
  DESCENT_INLINE static ValueAndGradient<T> at(T x, T y, Params) {
    return {x * x * x - 3 * x * y * y, 3 * x * x - 3 * y * y, -6 * x * y};
  }
};

// Every built-in, in the catalogue's order: the batch engine makes one kernel
// of each kind per entry (List<Quadratic, ...>).
template <template <class...> class List>
using AllBuiltins =
    List<Quadratic, RotatedQuadratic, Booth, Matyas, Rosenbrock, Beale, Himmelblau, GaussianWells,
         ThreeHumpCamel, SixHumpCamel, StyblinskiTang, McCormick, GoldsteinPrice, Rastrigin,
         Ackley, Easom, Saddle, MonkeySaddle>;

}  // namespace descent::surfaces::builtin
