// exp, log1p and the logistic loss written once over a lane type (Lanes<T, N>
// from lane_scalar.h, V128<T> from lane_wasm_simd128.h), from + - * / and bit
// operations only. No libm: a libm's last bit may differ between glibc (native)
// and musl (WASM), and a per-lane libm call would make the SIMD twin scalar.
// The same source in both twins gives the same bits, native and WASM alike.
//
// Accuracy: within 2 ulp of a correctly rounded exp and log1p for the
// arguments the loss uses (tests/native/models/kernels_test.cpp); the series
// are truncated where the next term is well below an ulp.
#pragma once

#include <array>
#include <bit>
#include <cstddef>

#include "lanes/float_format.h"

namespace descent::lanes {

// Truncated series coefficients for T.
template <class T>
struct SeriesOf;

template <>
struct SeriesOf<float> {
  static constexpr int kExpTerms = 8;     // |s| <= ln2/2: s^8/8! < 2^-27
  static constexpr int kAtanhTerms = 7;   // z <= 1/9: z^8 * 2/17 < 2^-26
  static constexpr float kMaxExpArgument = 87.0f;  // e^-87 is still a normal float
  static constexpr float kLn2Hi = 0.693359375f;    // 9 significant bits: k * hi is exact
  static constexpr float kLn2Lo = -2.12194440e-4f;
};

template <>
struct SeriesOf<double> {
  static constexpr int kExpTerms = 14;    // s^14/14! < 2^-57
  static constexpr int kAtanhTerms = 16;  // z^17 * 2/35 < 2^-58
  static constexpr double kMaxExpArgument = 708.0;  // e^-708 is still a normal double
  static constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm's split of ln 2
  static constexpr double kLn2Lo = 1.90821492927058770002e-10;
};

// (-1)^j / j!, j = 0 .. terms-1: the Taylor series of e^-s.
template <class T, int Terms>
constexpr std::array<T, Terms> exp_neg_series() {
  std::array<T, Terms> c{};
  double term = 1.0;
  for (int j = 0; j < Terms; ++j) {
    c[j] = static_cast<T>(term);
    term = -term / (j + 1);
  }
  return c;
}

// 2 / (2j + 3), j = 0 .. terms-1: 2 atanh(s) = 2s + s * R with
// R = z * sum z^j * 2 / (2j + 3), z = s^2.
template <class T, int Terms>
constexpr std::array<T, Terms> atanh_series() {
  std::array<T, Terms> c{};
  for (int j = 0; j < Terms; ++j) c[j] = static_cast<T>(2.0 / (2 * j + 3));
  return c;
}

// c[Lo] + c[Lo+1] x + ... over Len coefficients, split Estrin's way into a
// low half and x^Half times a high half (Half the largest power of two below
// Len); powers[k] = x^(2^k). Unrolled at compile time.
template <std::size_t Lo, std::size_t Len, class V, std::size_t K>
DESCENT_INLINE V estrin(const std::array<typename V::Scalar, K>& c, const V* powers) {
  if constexpr (Len == 1) {
    return V::splat(c[Lo]);
  } else {
    constexpr std::size_t kHalf = std::bit_floor(Len - 1);
    return estrin<Lo, kHalf, V>(c, powers) +
           estrin<Lo + kHalf, Len - kHalf, V>(c, powers) * powers[std::countr_zero(kHalf)];
  }
}

// c[0] + c[1] x + ... + c[K-1] x^(K-1) by Estrin's scheme: the dependency
// chain is about log2(K) multiply-adds long instead of Horner's K, and that
// chain is what bounds these kernels (the lanes are independent).
template <class V, std::size_t K>
DESCENT_INLINE V polynomial(const std::array<typename V::Scalar, K>& c, V x) {
  constexpr int kPowers = K > 1 ? std::bit_width(K - 1) : 1;
  V powers[kPowers] = {x};
  for (int k = 1; k < kPowers; ++k) powers[k] = powers[k - 1] * powers[k - 1];
  return estrin<0, K, V>(c, powers);
}

// e^-a for a >= 0 (a above kMaxExpArgument is treated as kMaxExpArgument).
// a = k ln2 + s with k whole and |s| <= ln2/2 (Cody-Waite, ln2 split in two so
// k * hi is exact); e^-a = 2^-k * e^-s, 2^-k built from k's bits.
template <class V>
DESCENT_INLINE V exp_neg(V a) {
  using T = typename V::Scalar;
  using S = SeriesOf<T>;
  static constexpr auto kSeries = exp_neg_series<T, S::kExpTerms>();
  a = pmin(a, V::splat(S::kMaxExpArgument));
  const V t = a * V::splat(static_cast<T>(1.4426950408889634)) + V::splat(FloatFormat<T>::kShifter);
  const V k = t - V::splat(FloatFormat<T>::kShifter);
  const V s = (a - k * V::splat(S::kLn2Hi)) - k * V::splat(S::kLn2Lo);
  return polynomial(kSeries, s) * pow2_neg_from_shifted(t);
}

// log(1 + f) for 0 <= f <= 1, fdlibm's way: with s = f / (2 + f) <= 1/3,
// log(1 + f) = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R)), R as in atanh_series:
// f is exact and the correction small, so rounding errors stay near 1 ulp.
template <class V>
DESCENT_INLINE V log1p_unit(V f) {
  using T = typename V::Scalar;
  static constexpr auto kSeries = atanh_series<T, SeriesOf<T>::kAtanhTerms>();
  const V s = f / (V::splat(T(2)) + f);
  const V z = s * s;
  const V half_square = V::splat(T(0.5)) * f * f;
  return f - (half_square - s * (half_square + z * polynomial(kSeries, z)));
}

// At logit z with label y (0 or 1): the cross-entropy
//   softplus(z) - y z = (max(z, 0) - y z) + log(1 + e^-|z|)
// (the bracket is exactly 0 for a sample on its right side) and p = sigmoid(z),
//   1 / (1 + e^-|z|) for z >= 0,  e^-|z| / (1 + e^-|z|) below,
// both from one e^-|z|, finite for every finite z.
template <class V>
struct Logistic {
  V loss;
  V p;
};

template <class V>
DESCENT_INLINE Logistic<V> logistic(V z, V y) {
  using T = typename V::Scalar;
  const V zero = V::splat(T(0)), one = V::splat(T(1));
  const V e = exp_neg(abs(z));
  const V inverse = one / (one + e);
  return {(pmax(z, zero) - y * z) + log1p_unit(e), select(ge(z, zero), inverse, e * inverse)};
}

}  // namespace descent::lanes
