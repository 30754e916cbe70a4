// Counter-based random numbers for data sets and mini-batches: draw i of a
// stream is a pure function of (seed, stream, i), like the gradient noise
// (session/gradient_noise.h). Nothing is carried from draw to draw, so a batch
// can be recomputed for any step, in any order, in native and WASM alike.
//
// A stream is SplitMix64 started from mix(seed ^ mix(stream)) and jumped to
// output i. Only integer and IEEE arithmetic (no libm, no std:: distributions),
// so every platform draws the same bits.
#pragma once

#include <cstdint>

#include "common/splitmix64.h"

namespace descent::models {

// The streams Descent draws from, kept apart so that changing one use (say the
// batch size) never changes another's numbers (the data).
enum class Stream : std::uint64_t {
  data = 1,           // generated data sets: draw 16 * i + j is sample i's j-th number
  batch = 2,          // sampling with replacement: draw k * batch + j is step k's j-th index
  permutation = 3,    // sampling without replacement: one stream per epoch, see epoch_stream()
  kernel_check = 4,   // the seeded inputs of the scalar-vs-SIMD kernel checks
};

// The permutation stream of epoch `epoch` (distinct from the fixed streams above).
constexpr std::uint64_t epoch_stream(std::uint64_t epoch) {
  return (std::uint64_t{1} << 32) + epoch;
}

class CounterRandom {
 public:
  CounterRandom(std::uint64_t seed, std::uint64_t stream)
      : key_(splitmix64(seed ^ splitmix64(stream))) {}
  CounterRandom(std::uint64_t seed, Stream stream)
      : CounterRandom(seed, static_cast<std::uint64_t>(stream)) {}

  std::uint64_t bits(std::uint64_t i) const { return splitmix64(key_ + i * kSplitMix64Gamma); }
  // Uniform in [0, 1), 53 bits.
  double unit(std::uint64_t i) const { return static_cast<double>(bits(i) >> 11) * 0x1.0p-53; }
  // Uniform whole number in [0, n) for n <= 2^32: floor(unit * n), biased by at
  // most n / 2^53.
  std::uint64_t below(std::uint64_t i, std::uint64_t n) const {
    return static_cast<std::uint64_t>(unit(i) * static_cast<double>(n));
  }

 private:
  std::uint64_t key_;
};

}  // namespace descent::models
