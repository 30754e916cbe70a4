#include "session/gradient_noise.h"

#include <cmath>

#include "common/splitmix64.h"

namespace descent::session {

double GradientNoise::sample(long step, int coordinate) const {
  if (scale == 0.0) return 0.0;
  const std::uint64_t key = splitmix64(
      seed ^ splitmix64(static_cast<std::uint64_t>(step) * 2 + static_cast<std::uint64_t>(coordinate)));
  const double u1 = unit_open_zero(splitmix64(key));
  const double u2 = unit_open_zero(splitmix64(key + 1));
  // Box-Muller.
  return scale * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace descent::session
