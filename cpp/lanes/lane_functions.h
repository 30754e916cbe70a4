// exp, log, sin and cos over float lanes, written once for both twins from
// + - * / sqrt, comparisons and bit operations (lane_ops.h): no libm, whose last
// bit may differ between the native and the WASM libc, and whose per-lane calls
// would make the SIMD twin scalar. Same source, same bits, in both twins.
//
// Accuracy (checked against double libm in tests/native/batch/): a few float
// ulps; sin and cos for |x| < 8192 (the Cody-Waite reduction's range; beyond it
// the result is still in [-1, 1] and still agrees between the twins); exp
// flushes results below e^-87 (subnormal floats) to 0 and overflows to inf
// from x > 88.03 (2^128 is inf; the true overflow is at 88.72).
#pragma once

#include <limits>

#include "lanes/lane_math.h"
#include "lanes/lane_ops.h"

namespace descent::lanes {

// e^x: lane_math.h's e^-a (Cody-Waite with a truncated Taylor series) at a = -x.
template <FloatLanes V>
DESCENT_INLINE V exp(V x) {
  // Below -89 the 2^-k scale would leave the float exponent range; at -89 it
  // is already 2^128 = inf, the right answer for every larger x.
  const V r = exp_neg(pmax(-x, V::splat(-89.0f)));
  return select(lt(x, V::splat(-87.0f)), V::splat(0.0f), r);
}

// log x, fdlibm's way: x = 2^e m with m in [sqrt(1/2), sqrt(2)), then
// log x = e ln2 + log1p(m - 1) (lane_math.h's log1p series; m - 1 is exact).
template <FloatLanes V>
DESCENT_INLINE V log(V x) {
  using S = SeriesOf<float>;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const auto subnormal = lt(x, V::splat(std::numeric_limits<float>::min()));
  V e, m;
  split_exponent(select(subnormal, x * 8388608.0f, x), e, m);  // 2^23 makes it normal
  e = select(subnormal, e - 23.0f, e);
  const auto high = lt(V::splat(1.41421356f), m);
  m = select(high, m * 0.5f, m);
  e = select(high, e + 1.0f, e);
  V r = e * S::kLn2Hi + (log1p_unit(m - 1.0f) + e * S::kLn2Lo);
  r = select(eq(x, V::splat(0.0f)), V::splat(-kInf), r);
  r = select(eq(x, V::splat(kInf)), V::splat(kInf), r);
  // Negative x and NaN give NaN (x - x is NaN for NaN, 0/0 for the rest).
  return select(lt(x, V::splat(0.0f)) | ~eq(x, x), V::splat(0.0f) / V::splat(0.0f), r);
}

template <class V>
struct SinCos {
  V sin;
  V cos;
};

// sin x and cos x together: x = k pi/2 + r with |r| <= pi/4 (pi/2 split in
// three, Cephes' constants, so k * part is exact for |k| < 2^13), Cephes'
// minimax polynomials on r, and the quadrant k mod 4 read from the bits of the
// rounding shifter (lanes/float_format.h).
template <FloatLanes V>
DESCENT_INLINE SinCos<V> sincos(V x) {
  constexpr float kShifter = FloatFormat<float>::kShifter;
  const V t = x * 0.636619772f + kShifter;
  const V k = t - kShifter;
  const V r = ((x - k * 1.5703125f) - k * 4.837512969970703125e-4f) - k * 7.54978995489188216e-8f;
  const V z = r * r;
  const V s = ((z * -1.9515295891e-4f + 8.3321608736e-3f) * z - 1.6666654611e-1f) * z * r + r;
  const V c = ((z * 2.443315711809948e-5f - 1.388731625493765e-3f) * z + 4.166664568298827e-2f) *
                  z * z -
              z * 0.5f + 1.0f;
  const auto odd = has_bit(t, 1u), second_half = has_bit(t, 2u);
  const V sin_r = select(odd, c, s), cos_r = select(odd, s, c);
  return {select(second_half, -sin_r, sin_r), select(odd ^ second_half, -cos_r, cos_r)};
}

}  // namespace descent::lanes
