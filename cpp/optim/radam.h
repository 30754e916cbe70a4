// RAdam, PyTorch's `torch.optim.RAdam` (torch/optim/radam.py, `_single_tensor_radam`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   m <- beta1 * m + (1 - beta1) * g;   v <- beta2 * v + (1 - beta2) * g^2
//   m_hat = m / (1 - beta1^t)
//   rho_inf = 2 / (1 - beta2) - 1;   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
//   if rho_t > 5:
//     r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
//     p <- p - lr * m_hat * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r_t
//   else (variance of the adaptive step not yet tractable):
//     p <- p - lr * m_hat                  (un-adapted, SGD with averaged momentum)
//
// With the default beta2 0.999 the first 5 steps are un-adapted and the
// rectification starts at t = 6. Defaults (torch): lr 1e-3, beta1 0.9,
// beta2 0.999, eps 1e-8, weight_decay 0. Liu et al. 2020, "On the Variance of
// the Adaptive Learning Rate and Beyond".
// Other libraries: the authors' code and Optax switch at rho_t >= 5 (the same
// steps for the default betas), and the authors' code can skip the un-adapted
// steps instead; it also decays p directly, like torch's
// `decoupled_weight_decay` option (not offered here).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct RadamHyper {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool maximize = false;
};

struct RadamState {
  long t = 0;
  std::vector<double> exp_avg;     // m
  std::vector<double> exp_avg_sq;  // v
};

void radam_step(const RadamHyper& hyper, RadamState& state, std::span<double> params,
                std::span<const double> grads);

// Step t's bias corrections and rectification (rho_t > 5, and the factor r_t),
// for the double step and the batch engine alike.
struct RadamStepScalars {
  double bc1, bc2;
  bool rectified;
  double rect;  // r_t when rectified, else 0
};
RadamStepScalars radam_step_scalars(const RadamHyper& h, long t);

struct RadamMethod {
  using Hyper = RadamHyper;
  static constexpr int first_moment = 0;
  using State = RadamState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string&, const Hyper&) {}  // ranges suffice
  static State init(std::size_t dimension) {
    const std::vector<double> zeros(dimension, 0.0);
    return {0, zeros, zeros};
  }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    radam_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.exp_avg, s.exp_avg_sq};
  }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
