// SplitMix64 (Steele, Lea, Flood 2014), the mixer behind Descent's
// counter-based randomness: gradient noise (session/gradient_noise.cpp), data
// sets and mini-batches (models/counter_random.h). Plain 64-bit integer and
// IEEE arithmetic only, so native and WASM builds draw the same numbers (std::
// distributions differ between libstdc++ and libc++).
#pragma once

#include <cstdint>

namespace descent {

// The golden-ratio increment SplitMix64 adds per step.
inline constexpr std::uint64_t kSplitMix64Gamma = 0x9e3779b97f4a7c15ULL;

// One SplitMix64 output: `z` advanced by the increment, then mixed. A bijection
// of 64-bit words; splitmix64(s + i * kSplitMix64Gamma) is the generator's i-th
// output from state s.
constexpr std::uint64_t splitmix64(std::uint64_t z) {
  z += kSplitMix64Gamma;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in (0, 1] from the top 53 bits: never 0, so log() of it is finite.
constexpr double unit_open_zero(std::uint64_t bits) {
  return (static_cast<double>(bits >> 11) + 1.0) * 0x1.0p-53;
}

}  // namespace descent
