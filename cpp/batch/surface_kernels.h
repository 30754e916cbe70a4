// The built-in surfaces' value and gradient over float lanes: the equations of
// cpp/surfaces/catalogue.cpp (same algebra, float32 lanes), for the surfaces
// hot enough to deserve a dedicated kernel. A built-in without one here runs
// its formula through the lane interpreter (formula_lanes.h) instead, so a new
// catalogue entry works at once; tests/native/batch/ checks every entry is
// served one way or the other and agrees with the double evaluation.
#pragma once

#include <numbers>

#include "lanes/lane_functions.h"

namespace descent::batch::kernels {

using namespace ::descent::lanes;

template <class V>
struct Eval {
  V f, dx, dy;
};

inline constexpr float kPi = std::numbers::pi_v<float>;
inline constexpr float kTwoPi = static_cast<float>(2.0 * std::numbers::pi);

// Each surface is a struct with `id` and at(x, y, params) (params: the
// built-in's parameter values in the catalogue's order).

struct Quadratic {
  static constexpr const char* id = "quadratic";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float* p) {
    const float kappa = p[0];
    return {(x * x + y * y * kappa) * 0.5f, x, y * kappa};
  }
};

struct RotatedQuadratic {
  static constexpr const char* id = "rotated_quadratic";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float* p) {
    const float kappa = p[0];
    const V s = x + y, d = x - y;
    return {(s * s + d * d * kappa) * 0.25f, (s + d * kappa) * 0.5f, (s - d * kappa) * 0.5f};
  }
};

struct Booth {
  static constexpr const char* id = "booth";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V a = x + y * 2.0f - 7.0f, b = x * 2.0f + y - 5.0f;
    return {a * a + b * b, a * 2.0f + b * 4.0f, a * 4.0f + b * 2.0f};
  }
};

struct Matyas {
  static constexpr const char* id = "matyas";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    return {(x * x + y * y) * 0.26f - x * y * 0.48f, x * 0.52f - y * 0.48f, y * 0.52f - x * 0.48f};
  }
};

struct Rosenbrock {
  static constexpr const char* id = "rosenbrock";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V a = 1.0f - x, b = y - x * x;
    return {a * a + b * b * 100.0f, a * -2.0f - x * b * 400.0f, b * 200.0f};
  }
};

struct Himmelblau {
  static constexpr const char* id = "himmelblau";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V a = x * x + y - 11.0f, b = x + y * y - 7.0f;
    return {a * a + b * b, x * a * 4.0f + b * 2.0f, a * 2.0f + y * b * 4.0f};
  }
};

struct Beale {
  static constexpr const char* id = "beale";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V y2 = y * y, y3 = y2 * y;
    const V a = 1.5f - x + x * y, b = 2.25f - x + x * y2, c = 2.625f - x + x * y3;
    return {a * a + b * b + c * c,
            (a * (y - 1.0f) + b * (y2 - 1.0f) + c * (y3 - 1.0f)) * 2.0f,
            x * (a + b * y * 2.0f + c * y2 * 3.0f) * 2.0f};
  }
};

struct GaussianWells {
  static constexpr const char* id = "gaussian_wells";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V u = x - 2.0f, v = y - 1.0f, s = x + 2.0f, t = y + 1.0f;
    const V g1 = exp(-(u * u + v * v)), g2 = exp(-(s * s + t * t) * 0.5f);
    return {(x * x + y * y) * 0.1f - g1 * 3.0f - g2 * 2.0f, x * 0.2f + u * g1 * 6.0f + s * g2 * 2.0f,
            y * 0.2f + v * g1 * 6.0f + t * g2 * 2.0f};
  }
};

struct ThreeHumpCamel {
  static constexpr const char* id = "three_hump_camel";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V x2 = x * x, x3 = x2 * x;
    return {x2 * 2.0f - x2 * x2 * 1.05f + x3 * x3 / 6.0f + x * y + y * y,
            x * 4.0f - x3 * 4.2f + x3 * x2 + y, x + y * 2.0f};
  }
};

struct SixHumpCamel {
  static constexpr const char* id = "six_hump_camel";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V x2 = x * x, y2 = y * y;
    return {(4.0f - x2 * 2.1f + x2 * x2 / 3.0f) * x2 + x * y + (y2 * 4.0f - 4.0f) * y2,
            x * 8.0f - x2 * x * 8.4f + x2 * x2 * x * 2.0f + y, x - y * 8.0f + y2 * y * 16.0f};
  }
};

struct StyblinskiTang {
  static constexpr const char* id = "styblinski_tang";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V x2 = x * x, y2 = y * y;
    return {(x2 * x2 - x2 * 16.0f + x * 5.0f + y2 * y2 - y2 * 16.0f + y * 5.0f) * 0.5f,
            x2 * x * 2.0f - x * 16.0f + 2.5f, y2 * y * 2.0f - y * 16.0f + 2.5f};
  }
};

struct McCormick {
  static constexpr const char* id = "mccormick";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const SinCos<V> sc = sincos(x + y);
    const V d = x - y;
    return {sc.sin + d * d - x * 1.5f + y * 2.5f + 1.0f, sc.cos + d * 2.0f - 1.5f,
            sc.cos - d * 2.0f + 2.5f};
  }
};

struct GoldsteinPrice {
  static constexpr const char* id = "goldstein_price";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V a = x + y + 1.0f;
    const V b = 19.0f - x * 14.0f + x * x * 3.0f - y * 14.0f + x * y * 6.0f + y * y * 3.0f;
    const V c = x * 2.0f - y * 3.0f;
    const V d = 18.0f - x * 32.0f + x * x * 12.0f + y * 48.0f - x * y * 36.0f + y * y * 27.0f;
    const V p = 1.0f + a * a * b, q = 30.0f + c * c * d;
    const V bx = x * 6.0f + y * 6.0f - 14.0f;  // = by
    const V dx = x * 24.0f - y * 36.0f - 32.0f, dy = 48.0f - x * 36.0f + y * 54.0f;
    const V px = a * b * 2.0f + a * a * bx;  // = py
    const V qx = c * d * 4.0f + c * c * dx, qy = c * d * -6.0f + c * c * dy;
    return {p * q, px * q + p * qx, px * q + p * qy};
  }
};

struct Rastrigin {
  static constexpr const char* id = "rastrigin";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const SinCos<V> cx = sincos(x * kTwoPi), cy = sincos(y * kTwoPi);
    constexpr float kSlope = static_cast<float>(20.0 * std::numbers::pi);  // 10 w
    return {20.0f + x * x + y * y - (cx.cos + cy.cos) * 10.0f, x * 2.0f + cx.sin * kSlope,
            y * 2.0f + cy.sin * kSlope};
  }
};

// The cone's gradient at the origin is taken as 0, as in the catalogue.
struct Ackley {
  static constexpr const char* id = "ackley";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V r = sqrt((x * x + y * y) * 0.5f);
    const V cone = exp(r * -0.2f);
    const SinCos<V> cx = sincos(x * kTwoPi), cy = sincos(y * kTwoPi);
    const V ripple = exp((cx.cos + cy.cos) * 0.5f);
    const V zero = V::splat(0.0f);
    const V slope = select(eq(r, zero), zero, cone * 2.0f / r);
    constexpr float kTop = static_cast<float>(std::numbers::e + 20.0);
    return {cone * -20.0f - ripple + kTop, slope * x + cx.sin * kPi * ripple,
            slope * y + cy.sin * kPi * ripple};
  }
};

struct Easom {
  static constexpr const char* id = "easom";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    const V u = x - kPi, v = y - kPi;
    const V g = exp(-(u * u + v * v));
    const SinCos<V> sx = sincos(x), sy = sincos(y);
    return {-(sx.cos * sy.cos * g), g * sy.cos * (sx.sin + u * 2.0f * sx.cos),
            g * sx.cos * (sy.sin + v * 2.0f * sy.cos)};
  }
};

struct Saddle {
  static constexpr const char* id = "saddle";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    return {x * x - y * y, x * 2.0f, y * -2.0f};
  }
};

struct MonkeySaddle {
  static constexpr const char* id = "monkey_saddle";
  template <class V>
  DESCENT_LANE_INLINE static Eval<V> at(V x, V y, const float*) {
    return {x * x * x - x * y * y * 3.0f, x * x * 3.0f - y * y * 3.0f, x * y * -6.0f};
  }
};

// Every dedicated kernel; kernel_set_body.h makes one entry per twin.
template <template <class...> class List>
using AllSurfaces =
    List<Quadratic, RotatedQuadratic, Booth, Matyas, Rosenbrock, Beale, Himmelblau, GaussianWells,
         ThreeHumpCamel, SixHumpCamel, StyblinskiTang, McCormick, GoldsteinPrice, Rastrigin,
         Ackley, Easom, Saddle, MonkeySaddle>;

}  // namespace descent::batch::kernels
