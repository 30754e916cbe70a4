// Shared by the optimizer tests: the spec's hand-check surface
// f = 0.5 * (x^2 + 10 y^2), gradient (x, 10 y), started at (-4, 1.5).
#pragma once

#include <vector>

#include "optim/registry.h"

namespace descent::optim::testing {

using Point = std::vector<double>;

inline const Point kStart = {-4.0, 1.5};

inline double quadratic_loss(const Point& p) { return 0.5 * (p[0] * p[0] + 10.0 * p[1] * p[1]); }
inline Point quadratic_grad(const Point& p) { return {p[0], 10.0 * p[1]}; }

// The points after each of `steps` steps from `start` (element k is after step k + 1).
inline std::vector<Point> trajectory(Optimizer& opt, int steps, Point start = kStart) {
  std::vector<Point> points;
  Point p = std::move(start);
  for (int i = 0; i < steps; ++i) {
    const Point g = quadratic_grad(p);
    opt.step(p, g);
    points.push_back(p);
  }
  return points;
}

// The point after `steps` steps from `start`.
inline Point run_on_quadratic(Optimizer& opt, int steps, Point start = kStart) {
  return steps == 0 ? start : trajectory(opt, steps, std::move(start)).back();
}

// A copy of state buffer `index`.
inline std::vector<double> buffer(const Optimizer& opt, std::size_t index) {
  const auto view = opt.state(index);
  return {view.begin(), view.end()};
}

}  // namespace descent::optim::testing
