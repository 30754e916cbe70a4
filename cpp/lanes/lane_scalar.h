// Lanes<T, N>: N values of T handled one at a time with plain scalar code. It
// is the scalar twin's stand-in for a SIMD register (lane_wasm_simd128.h has
// the real ones), with the same operations lane for lane, so a kernel written
// once over a lane type (batch_kernel_body.h) does the same IEEE operations in
// the same order whichever type it is given. Every operation here is a single
// correctly rounded IEEE operation or an exact bit manipulation, as its SIMD
// counterpart is.
#pragma once

#include "lanes/float_format.h"

namespace descent::lanes {

template <class T, int N>
struct LaneMask {
  bool on[N];
  // Lanes 0 .. count-1 on, the rest off.
  DESCENT_INLINE static LaneMask first(int count) {
    LaneMask out;
    for (int i = 0; i < N; ++i) out.on[i] = i < count;
    return out;
  }
};

template <class T, int N>
struct Lanes {
  using Scalar = T;
  static constexpr int kLanes = N;
  using Mask = LaneMask<T, N>;
  T v[N];

  DESCENT_INLINE static Lanes splat(T x) {
    Lanes out;
    for (int i = 0; i < N; ++i) out.v[i] = x;
    return out;
  }
  DESCENT_INLINE static Lanes load(const T* p) {
    Lanes out;
    for (int i = 0; i < N; ++i) out.v[i] = p[i];
    return out;
  }
  DESCENT_INLINE T lane(int i) const { return v[i]; }
};

// Applies `op` lane by lane.
template <class T, int N, class Op>
DESCENT_INLINE Lanes<T, N> each(const Lanes<T, N>& a, const Lanes<T, N>& b, Op op) {
  Lanes<T, N> out;
  for (int i = 0; i < N; ++i) out.v[i] = op(a.v[i], b.v[i]);
  return out;
}

template <class T, int N>
DESCENT_INLINE Lanes<T, N> operator+(const Lanes<T, N>& a, const Lanes<T, N>& b) {
  return each(a, b, [](T x, T y) { return x + y; });
}
template <class T, int N>
DESCENT_INLINE Lanes<T, N> operator-(const Lanes<T, N>& a, const Lanes<T, N>& b) {
  return each(a, b, [](T x, T y) { return x - y; });
}
template <class T, int N>
DESCENT_INLINE Lanes<T, N> operator*(const Lanes<T, N>& a, const Lanes<T, N>& b) {
  return each(a, b, [](T x, T y) { return x * y; });
}
template <class T, int N>
DESCENT_INLINE Lanes<T, N> operator/(const Lanes<T, N>& a, const Lanes<T, N>& b) {
  return each(a, b, [](T x, T y) { return x / y; });
}
// WebAssembly's pmin/pmax: b < a ? b : a and a < b ? b : a (not IEEE min/max;
// NaN and signed zeros are treated as these formulas say).
template <class T, int N>
DESCENT_INLINE Lanes<T, N> pmin(const Lanes<T, N>& a, const Lanes<T, N>& b) {
  return each(a, b, [](T x, T y) { return y < x ? y : x; });
}
template <class T, int N>
DESCENT_INLINE Lanes<T, N> pmax(const Lanes<T, N>& a, const Lanes<T, N>& b) {
  return each(a, b, [](T x, T y) { return x < y ? y : x; });
}
// Clears the sign bit, as f32x4.abs does (also for NaN).
template <class T, int N>
DESCENT_INLINE Lanes<T, N> abs(const Lanes<T, N>& a) {
  using Bits = typename FloatFormat<T>::Bits;
  constexpr Bits kNoSign = ~(Bits{1} << (8 * sizeof(T) - 1));
  Lanes<T, N> out;
  for (int i = 0; i < N; ++i) out.v[i] = bit_cast<T>(bit_cast<Bits>(a.v[i]) & kNoSign);
  return out;
}
template <class T, int N>
DESCENT_INLINE LaneMask<T, N> ge(const Lanes<T, N>& a, const Lanes<T, N>& b) {
  LaneMask<T, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = a.v[i] >= b.v[i];
  return out;
}
template <class T, int N>
DESCENT_INLINE Lanes<T, N> select(const LaneMask<T, N>& m, const Lanes<T, N>& a, const Lanes<T, N>& b) {
  Lanes<T, N> out;
  for (int i = 0; i < N; ++i) out.v[i] = m.on[i] ? a.v[i] : b.v[i];
  return out;
}
// 2^-k for t = shifter + k (float_format.h).
template <class T, int N>
DESCENT_INLINE Lanes<T, N> pow2_neg_from_shifted(const Lanes<T, N>& t) {
  using Bits = typename FloatFormat<T>::Bits;
  Lanes<T, N> out;
  for (int i = 0; i < N; ++i) out.v[i] = bit_cast<T>(pow2_neg_bits<T>(bit_cast<Bits>(t.v[i])));
  return out;
}

}  // namespace descent::lanes
