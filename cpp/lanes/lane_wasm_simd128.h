// V128<T>: a WebAssembly SIMD register of 4 floats or 2 doubles, with the
// operations of Lanes<T, N> (lane_scalar.h) as single wasm_simd128
// instructions. Each instruction rounds each lane exactly as the scalar IEEE
// operation does (add, sub, mul, div, pmin, pmax, abs, compare, bitselect,
// integer add/shift on the bits), which is why the twins agree bit for bit.
// For builds with -msimd128 (the `descent-simd` module), and natively through
// SIMDe with DESCENT_NATIVE_SIMD (lanes/simd128.h).
#pragma once

#include "lanes/simd128.h"

#if DESCENT_SIMD128

#include <type_traits>

#include "lanes/float_format.h"

namespace descent::lanes {

template <class T>
struct V128 {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>);
  static constexpr bool kF32 = std::is_same_v<T, float>;
  using Scalar = T;
  static constexpr int kLanes = 16 / sizeof(T);

  struct Mask {
    v128_t bits;
    // Lanes 0 .. count-1 on, the rest off.
    static Mask first(int count) {
      if constexpr (kF32) return {wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(count))};
      else return {wasm_i64x2_make(count > 0 ? -1 : 0, count > 1 ? -1 : 0)};
    }
  };

  v128_t v;

  DESCENT_INLINE static V128 splat(T x) {
    if constexpr (kF32) return {wasm_f32x4_splat(x)};
    else return {wasm_f64x2_splat(x)};
  }
  DESCENT_INLINE static V128 load(const T* p) { return {wasm_v128_load(p)}; }
  DESCENT_INLINE T lane(int i) const {
    T out[kLanes];
    wasm_v128_store(out, v);
    return out[i];
  }
};

template <class T>
DESCENT_INLINE V128<T> operator+(V128<T> a, V128<T> b) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_add(a.v, b.v)};
  else return {wasm_f64x2_add(a.v, b.v)};
}
template <class T>
DESCENT_INLINE V128<T> operator-(V128<T> a, V128<T> b) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_sub(a.v, b.v)};
  else return {wasm_f64x2_sub(a.v, b.v)};
}
template <class T>
DESCENT_INLINE V128<T> operator*(V128<T> a, V128<T> b) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_mul(a.v, b.v)};
  else return {wasm_f64x2_mul(a.v, b.v)};
}
template <class T>
DESCENT_INLINE V128<T> operator/(V128<T> a, V128<T> b) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_div(a.v, b.v)};
  else return {wasm_f64x2_div(a.v, b.v)};
}
template <class T>
DESCENT_INLINE V128<T> pmin(V128<T> a, V128<T> b) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_pmin(a.v, b.v)};
  else return {wasm_f64x2_pmin(a.v, b.v)};
}
template <class T>
DESCENT_INLINE V128<T> pmax(V128<T> a, V128<T> b) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_pmax(a.v, b.v)};
  else return {wasm_f64x2_pmax(a.v, b.v)};
}
template <class T>
DESCENT_INLINE V128<T> abs(V128<T> a) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_abs(a.v)};
  else return {wasm_f64x2_abs(a.v)};
}
template <class T>
DESCENT_INLINE typename V128<T>::Mask ge(V128<T> a, V128<T> b) {
  if constexpr (V128<T>::kF32) return {wasm_f32x4_ge(a.v, b.v)};
  else return {wasm_f64x2_ge(a.v, b.v)};
}
template <class T>
DESCENT_INLINE V128<T> select(typename V128<T>::Mask m, V128<T> a, V128<T> b) {
  return {wasm_v128_bitselect(a.v, b.v, m.bits)};
}
// 2^-k for t = shifter + k (float_format.h), on the lanes' bits.
template <class T>
DESCENT_INLINE V128<T> pow2_neg_from_shifted(V128<T> t) {
  using F = FloatFormat<T>;
  if constexpr (V128<T>::kF32)
    return {wasm_i32x4_shl(
        wasm_i32x4_sub(wasm_i32x4_splat(static_cast<int>(F::kBias + F::kShifterBits)), t.v),
        F::kMantissaBits)};
  else
    return {wasm_i64x2_shl(
        wasm_i64x2_sub(wasm_i64x2_splat(static_cast<long long>(F::kBias + F::kShifterBits)), t.v),
        F::kMantissaBits)};
}

}  // namespace descent::lanes

#endif  // DESCENT_SIMD128
