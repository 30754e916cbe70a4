// torch 1.13's single-tensor Rprop and ASGD loops (torch/optim/rprop.py,
// asgd.py) written out by hand over plain vectors, statement by statement as
// torch runs them, as the reference the registry's Rprop and ASGD are checked
// against (and tests/reference/torch_rprop_asgd.py checks both against torch).
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "optim/registry.h"

namespace descent::optim::testing {

using Vec = std::vector<double>;
using GradientFn = std::function<Vec(const Vec&)>;

inline double torch_sign(double x) { return (0.0 < x) - (x < 0.0); }  // sign(NaN) = 0

// The path of `steps` torch.optim.Rprop steps from p.
inline std::vector<Vec> torch_rprop(Vec p, const GradientFn& grad_of, int steps, double lr,
                                    double etaminus, double etaplus, double step_min,
                                    double step_max, bool maximize) {
  Vec prev(p.size(), 0.0), step_size(p.size(), lr);  // state: zeros_like, full_like(lr)
  std::vector<Vec> path;
  for (int s = 0; s < steps; ++s) {
    Vec grad = grad_of(p);
    if (maximize)
      for (double& g : grad) g = -g;
    Vec sign(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) sign[i] = torch_sign(grad[i] * prev[i]);
    for (double& v : sign) v = v > 0 ? etaplus : v < 0 ? etaminus : 1.0;  // the three masks
    for (std::size_t i = 0; i < p.size(); ++i)
      step_size[i] = std::min(std::max(step_size[i] * sign[i], step_min), step_max);
    for (std::size_t i = 0; i < p.size(); ++i)
      if (sign[i] == etaminus) grad[i] = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) p[i] += -1.0 * (torch_sign(grad[i]) * step_size[i]);
    prev = grad;
    path.push_back(p);
  }
  return path;
}

// The path of `steps` torch.optim.ASGD steps from p, and the final average ax.
inline std::vector<Vec> torch_asgd(Vec p, const GradientFn& grad_of, int steps, double lr,
                                   double lambd, double alpha, double t0, double weight_decay,
                                   bool maximize, Vec* ax_out = nullptr) {
  double eta = lr, mu = 1.0;
  Vec ax(p.size(), 0.0);
  std::vector<Vec> path;
  for (int step = 1; step <= steps; ++step) {
    Vec grad = grad_of(p);
    if (maximize)
      for (double& g : grad) g = -g;
    if (weight_decay != 0)
      for (std::size_t i = 0; i < p.size(); ++i) grad[i] = grad[i] + weight_decay * p[i];
    for (double& v : p) v *= 1.0 - lambd * eta;
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = p[i] + (-eta) * grad[i];
    if (mu != 1.0)
      for (std::size_t i = 0; i < p.size(); ++i) ax[i] = ax[i] + (p[i] - ax[i]) * mu;
    else
      ax = p;
    eta = lr / std::pow(1.0 + lambd * lr * step, alpha);
    mu = 1.0 / std::max(1.0, step - t0);
    path.push_back(p);
  }
  if (ax_out) *ax_out = ax;
  return path;
}

inline Vec quadratic_gradient(const Vec& p) { return {p[0], 10.0 * p[1]}; }
inline Vec rosenbrock_gradient(const Vec& p) {
  const double x = p[0], y = p[1];
  return {-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)};
}

// Largest |a - b| / |b| over the paths (|a| where b is 0); equal values, infinities and
// NaNs included, count as 0 (a diverged path must diverge alike).
inline double worst_relative(const std::vector<Vec>& a, const std::vector<Vec>& b) {
  double worst = a.size() == b.size() ? 0.0 : INFINITY;
  for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k)
    for (std::size_t i = 0; i < a[k].size(); ++i) {
      if (a[k][i] == b[k][i] || (std::isnan(a[k][i]) && std::isnan(b[k][i]))) continue;
      const double d = std::abs(a[k][i] - b[k][i]);
      worst = std::max(worst, b[k][i] != 0 ? d / std::abs(b[k][i]) : d);
      if (!std::isfinite(d)) worst = INFINITY;
    }
  return worst;
}

// The path of `steps` steps of `opt` from p.
inline std::vector<Vec> registry_path(Optimizer& opt, Vec p, const GradientFn& grad_of, int steps) {
  std::vector<Vec> path;
  for (int s = 0; s < steps; ++s) {
    const Vec g = grad_of(p);
    opt.step(p, g);
    path.push_back(p);
  }
  return path;
}

// One registry run of a spec for the torch comparisons: the surface's
// gradient, the start, the optimizer after the run and its path.
struct RegistryRun {
  GradientFn grad;
  Vec start;
  std::unique_ptr<Optimizer> optimizer;
  std::vector<Vec> path;
};

// `spec`'s registry runs of `steps` steps on the quadratic from (-4, 1.5) and
// Rosenbrock from (-1.5, 2).
inline std::vector<RegistryRun> registry_runs(const std::string& spec, int steps) {
  std::vector<RegistryRun> runs;
  for (auto [grad, start] : {std::pair<GradientFn, Vec>{quadratic_gradient, {-4.0, 1.5}},
                             std::pair<GradientFn, Vec>{rosenbrock_gradient, {-1.5, 2.0}}}) {
    const OptimizerSpec parsed = parse_spec(spec);
    auto optimizer = make_optimizer(parsed.id, parsed.settings, 2);
    auto path = registry_path(*optimizer, start, grad, steps);
    runs.push_back({grad, start, std::move(optimizer), std::move(path)});
  }
  return runs;
}

}  // namespace descent::optim::testing
