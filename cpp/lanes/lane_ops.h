// The float-lane operations the batch kernels need beyond lane_scalar.h
// (Lanes<T, N>) and lane_wasm_simd128.h (V128<T>): store, negation, sqrt,
// comparisons and mask logic (all_on, any_on), bit tests, lane-wise integer
// counters, and + - * / with a scalar constant. As there, every operation is one
// correctly rounded IEEE operation or an exact bit manipulation, identical in
// both twins, so a kernel body written once over a lane type gives the same
// bits in the scalar and the wasm_simd128 twin.
#pragma once

#include <cmath>
#include <cstdint>

#include "lanes/lane_scalar.h"
#include "lanes/lane_wasm_simd128.h"

namespace descent::lanes {

// ---- scalar twin: Lanes<float, N> ------------------------------------------

template <int N>
using F32Lanes = Lanes<float, N>;

template <int N>
DESCENT_INLINE void store(float* p, const F32Lanes<N>& a) {
  for (int i = 0; i < N; ++i) p[i] = a.v[i];
}
template <int N>
DESCENT_INLINE F32Lanes<N> operator-(const F32Lanes<N>& a) {
  F32Lanes<N> out;
  for (int i = 0; i < N; ++i) out.v[i] = -a.v[i];
  return out;
}
template <int N>
DESCENT_INLINE F32Lanes<N> sqrt(const F32Lanes<N>& a) {
  F32Lanes<N> out;
  for (int i = 0; i < N; ++i) out.v[i] = std::sqrt(a.v[i]);
  return out;
}

// Applies `cmp` lane by lane into a mask.
template <int N, class Cmp>
DESCENT_INLINE LaneMask<float, N> compare(const F32Lanes<N>& a, const F32Lanes<N>& b, Cmp cmp) {
  LaneMask<float, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = cmp(a.v[i], b.v[i]);
  return out;
}
template <int N>
DESCENT_INLINE LaneMask<float, N> lt(const F32Lanes<N>& a, const F32Lanes<N>& b) {
  return compare(a, b, [](float x, float y) { return x < y; });
}
template <int N>
DESCENT_INLINE LaneMask<float, N> le(const F32Lanes<N>& a, const F32Lanes<N>& b) {
  return compare(a, b, [](float x, float y) { return x <= y; });
}
template <int N>
DESCENT_INLINE LaneMask<float, N> eq(const F32Lanes<N>& a, const F32Lanes<N>& b) {
  return compare(a, b, [](float x, float y) { return x == y; });
}
template <int N>
DESCENT_INLINE LaneMask<float, N> operator&(const LaneMask<float, N>& a, const LaneMask<float, N>& b) {
  LaneMask<float, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = a.on[i] && b.on[i];
  return out;
}
template <int N>
DESCENT_INLINE LaneMask<float, N> operator|(const LaneMask<float, N>& a, const LaneMask<float, N>& b) {
  LaneMask<float, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = a.on[i] || b.on[i];
  return out;
}
template <int N>
DESCENT_INLINE LaneMask<float, N> operator^(const LaneMask<float, N>& a, const LaneMask<float, N>& b) {
  LaneMask<float, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = a.on[i] != b.on[i];
  return out;
}
template <int N>
DESCENT_INLINE LaneMask<float, N> operator~(const LaneMask<float, N>& a) {
  LaneMask<float, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = !a.on[i];
  return out;
}
// Lanes whose float bits have `bit` set.
template <int N>
DESCENT_INLINE LaneMask<float, N> has_bit(const F32Lanes<N>& a, std::uint32_t bit) {
  LaneMask<float, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = (bit_cast<std::uint32_t>(a.v[i]) & bit) != 0;
  return out;
}
// True when every lane is on.
template <int N>
DESCENT_INLINE bool all_on(const LaneMask<float, N>& m) {
  bool all = true;
  for (int i = 0; i < N; ++i) all = all && m.on[i];
  return all;
}
// True when some lane is on.
template <int N>
DESCENT_INLINE bool any_on(const LaneMask<float, N>& m) {
  bool any = false;
  for (int i = 0; i < N; ++i) any = any || m.on[i];
  return any;
}
// Masks stored as 32-bit words, all ones (on) or zero (off).
template <int N>
DESCENT_INLINE LaneMask<float, N> load_mask(const std::uint32_t* p, LaneMask<float, N>* = nullptr) {
  LaneMask<float, N> out;
  for (int i = 0; i < N; ++i) out.on[i] = p[i] != 0;
  return out;
}
template <int N>
DESCENT_INLINE void store_mask(std::uint32_t* p, const LaneMask<float, N>& m) {
  for (int i = 0; i < N; ++i) p[i] = m.on[i] ? 0xffffffffu : 0u;
}
// counts[i] += 1 where m is on (32-bit wrap-around).
template <int N>
DESCENT_INLINE void count_where(std::uint32_t* counts, const LaneMask<float, N>& m) {
  for (int i = 0; i < N; ++i) counts[i] += m.on[i] ? 1u : 0u;
}
// x = e + m with m in [1, 2), for positive normal x: e as a float, m's bits
// from x's mantissa with a zero exponent.
template <int N>
DESCENT_INLINE void split_exponent(const F32Lanes<N>& x, F32Lanes<N>& e, F32Lanes<N>& m) {
  for (int i = 0; i < N; ++i) {
    const std::uint32_t bits = bit_cast<std::uint32_t>(x.v[i]);
    e.v[i] = static_cast<float>(static_cast<std::int32_t>(bits >> 23) - 127);
    m.v[i] = bit_cast<float>((bits & 0x007fffffu) | 0x3f800000u);
  }
}
// f applied to each lane in double precision, rounded to float: for the few
// formula functions without lane math (both twins call the same libm).
template <int N, class F>
DESCENT_INLINE F32Lanes<N> per_lane(const F32Lanes<N>& a, F f) {
  F32Lanes<N> out;
  for (int i = 0; i < N; ++i) out.v[i] = static_cast<float>(f(static_cast<double>(a.v[i])));
  return out;
}
template <int N, class F>
DESCENT_INLINE F32Lanes<N> per_lane(const F32Lanes<N>& a, const F32Lanes<N>& b, F f) {
  F32Lanes<N> out;
  for (int i = 0; i < N; ++i)
    out.v[i] = static_cast<float>(f(static_cast<double>(a.v[i]), static_cast<double>(b.v[i])));
  return out;
}

// ---- SIMD twin: V128<float> ------------------------------------------------

#if DESCENT_SIMD128
using F32x4 = V128<float>;
using F32x4Mask = F32x4::Mask;

DESCENT_INLINE void store(float* p, F32x4 a) { wasm_v128_store(p, a.v); }
DESCENT_INLINE F32x4 operator-(F32x4 a) { return {wasm_f32x4_neg(a.v)}; }
DESCENT_INLINE F32x4 sqrt(F32x4 a) { return {wasm_f32x4_sqrt(a.v)}; }
DESCENT_INLINE F32x4Mask lt(F32x4 a, F32x4 b) { return {wasm_f32x4_lt(a.v, b.v)}; }
DESCENT_INLINE F32x4Mask le(F32x4 a, F32x4 b) { return {wasm_f32x4_le(a.v, b.v)}; }
DESCENT_INLINE F32x4Mask eq(F32x4 a, F32x4 b) { return {wasm_f32x4_eq(a.v, b.v)}; }
DESCENT_INLINE F32x4Mask operator&(F32x4Mask a, F32x4Mask b) { return {wasm_v128_and(a.bits, b.bits)}; }
DESCENT_INLINE F32x4Mask operator|(F32x4Mask a, F32x4Mask b) { return {wasm_v128_or(a.bits, b.bits)}; }
DESCENT_INLINE F32x4Mask operator^(F32x4Mask a, F32x4Mask b) { return {wasm_v128_xor(a.bits, b.bits)}; }
DESCENT_INLINE F32x4Mask operator~(F32x4Mask a) { return {wasm_v128_not(a.bits)}; }
DESCENT_INLINE bool all_on(F32x4Mask m) { return wasm_i32x4_all_true(m.bits); }
DESCENT_INLINE bool any_on(F32x4Mask m) { return wasm_v128_any_true(m.bits); }
DESCENT_INLINE F32x4Mask has_bit(F32x4 a, std::uint32_t bit) {
  const v128_t b = wasm_i32x4_splat(static_cast<std::int32_t>(bit));
  return {wasm_i32x4_ne(wasm_v128_and(a.v, b), wasm_i32x4_splat(0))};
}
DESCENT_INLINE F32x4Mask load_mask(const std::uint32_t* p, F32x4Mask* = nullptr) {
  return {wasm_v128_load(p)};
}
DESCENT_INLINE void store_mask(std::uint32_t* p, F32x4Mask m) { wasm_v128_store(p, m.bits); }
// An on lane is all ones, -1 as an integer: subtracting it counts one.
DESCENT_INLINE void count_where(std::uint32_t* counts, F32x4Mask m) {
  wasm_v128_store(counts, wasm_i32x4_sub(wasm_v128_load(counts), m.bits));
}
DESCENT_INLINE void split_exponent(F32x4 x, F32x4& e, F32x4& m) {
  e = {wasm_f32x4_convert_i32x4(wasm_i32x4_sub(wasm_u32x4_shr(x.v, 23), wasm_i32x4_splat(127)))};
  m = {wasm_v128_or(wasm_v128_and(x.v, wasm_i32x4_splat(0x007fffff)), wasm_i32x4_splat(0x3f800000))};
}
template <class F>
DESCENT_INLINE F32x4 per_lane(F32x4 a, F f) {
  return {wasm_f32x4_make(static_cast<float>(f(a.lane(0))), static_cast<float>(f(a.lane(1))),
                          static_cast<float>(f(a.lane(2))), static_cast<float>(f(a.lane(3))))};
}
template <class F>
DESCENT_INLINE F32x4 per_lane(F32x4 a, F32x4 b, F f) {
  return {wasm_f32x4_make(static_cast<float>(f(a.lane(0), b.lane(0))),
                          static_cast<float>(f(a.lane(1), b.lane(1))),
                          static_cast<float>(f(a.lane(2), b.lane(2))),
                          static_cast<float>(f(a.lane(3), b.lane(3))))};
}
#endif  // DESCENT_SIMD128

// ---- both: a scalar constant as the other operand ---------------------------

template <class V>
concept FloatLanes = requires(V v) { V::splat(0.0f); v.lane(0); };

template <FloatLanes V>
DESCENT_INLINE V operator+(V a, float b) { return a + V::splat(b); }
template <FloatLanes V>
DESCENT_INLINE V operator+(float a, V b) { return V::splat(a) + b; }
template <FloatLanes V>
DESCENT_INLINE V operator-(V a, float b) { return a - V::splat(b); }
template <FloatLanes V>
DESCENT_INLINE V operator-(float a, V b) { return V::splat(a) - b; }
template <FloatLanes V>
DESCENT_INLINE V operator*(V a, float b) { return a * V::splat(b); }
template <FloatLanes V>
DESCENT_INLINE V operator*(float a, V b) { return V::splat(a) * b; }
template <FloatLanes V>
DESCENT_INLINE V operator/(V a, float b) { return a / V::splat(b); }
template <FloatLanes V>
DESCENT_INLINE V operator/(float a, V b) { return V::splat(a) / b; }

// The mask type of lane type V from 32-bit words (see load_mask).
template <FloatLanes V>
DESCENT_INLINE typename V::Mask load_mask_of(const std::uint32_t* p) {
  return load_mask(p, static_cast<typename V::Mask*>(nullptr));
}

// Finite lanes: x - x is 0 exactly when x is finite (inf - inf and NaN are NaN).
template <FloatLanes V>
DESCENT_INLINE auto finite(V a) {
  return eq(a - a, V::splat(0.0f));
}

}  // namespace descent::lanes
