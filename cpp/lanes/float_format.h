// IEEE-754 facts the lane math (lane_math.h) needs about float and double,
// and the integer type with their bits.
#pragma once

#include <cstdint>
#include <cstring>

#include "common/inline.h"

namespace descent::lanes {

// std::bit_cast, which Emscripten 3.1.6's libc++ lacks.
template <class To, class From>
DESCENT_INLINE To bit_cast(const From& from) {
  static_assert(sizeof(To) == sizeof(From));
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

template <class T>
struct FloatFormat;

template <>
struct FloatFormat<float> {
  using Bits = std::uint32_t;
  static constexpr int kMantissaBits = 23;
  static constexpr Bits kBias = 127;
  // 1.5 * 2^23: adding it to |x| < 2^22 rounds x to a whole number k, and the
  // sum's bits are the shifter's bits plus k.
  static constexpr float kShifter = 12582912.0f;
  static constexpr Bits kShifterBits = 0x4b400000u;
};

template <>
struct FloatFormat<double> {
  using Bits = std::uint64_t;
  static constexpr int kMantissaBits = 52;
  static constexpr Bits kBias = 1023;
  static constexpr double kShifter = 6755399441055744.0;  // 1.5 * 2^52
  static constexpr Bits kShifterBits = 0x4338000000000000ull;
};

// Bits of 2^-k for t = shifter + k (k a whole number with 2^-k normal):
// (bias - k) << mantissa_bits, computed from t's bits without leaving the lane.
template <class T>
constexpr typename FloatFormat<T>::Bits pow2_neg_bits(typename FloatFormat<T>::Bits t_bits) {
  using F = FloatFormat<T>;
  return static_cast<typename F::Bits>((F::kBias + F::kShifterBits - t_bits) << F::kMantissaBits);
}

}  // namespace descent::lanes
