#include "session/gradient_noise.h"

#include <cmath>

namespace descent::session {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): a strong 64-bit mixer.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in (0, 1]: 53 random bits, never 0 (log(0) below).
double unit(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 1.0) * 0x1.0p-53; }

}  // namespace

double GradientNoise::sample(long step, int coordinate) const {
  if (scale == 0.0) return 0.0;
  const std::uint64_t key =
      mix(seed ^ mix(static_cast<std::uint64_t>(step) * 2 + static_cast<std::uint64_t>(coordinate)));
  const double u1 = unit(mix(key));
  const double u2 = unit(mix(key + 1));
  // Box-Muller.
  return scale * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace descent::session
