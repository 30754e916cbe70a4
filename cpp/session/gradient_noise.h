// Reproducible Gaussian gradient noise: the stand-in for mini-batch noise that
// lecture notes use to motivate momentum.
//
// Counter-based: the noise for (seed, step, coordinate) is a pure function of
// the three, so it needs no generator state, is the same when a run is reset,
// added late or replayed, and is the same in native and WASM builds (we avoid
// std::normal_distribution, whose algorithm differs between libstdc++ and libc++).
#pragma once

#include <cstdint>

namespace descent::session {

struct GradientNoise {
  double scale = 0.0;  // standard deviation added to each gradient coordinate; 0 = off
  std::uint64_t seed = 1;

  // A standard-normal draw for this step and coordinate, times `scale`.
  double sample(long step, int coordinate) const;
};

}  // namespace descent::session
