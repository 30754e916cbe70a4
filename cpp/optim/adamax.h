// Adamax, PyTorch's `torch.optim.Adamax` (torch/optim/adamax.py,
// `_single_tensor_adamax`): Adam with the infinity norm in place of the root
// mean square.
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   m <- beta1 * m + (1 - beta1) * g
//   u <- max(beta2 * u, |g| + eps)          (eps inside the max)
//   p <- p - (lr / (1 - beta1^t)) * m / u   (only m is bias-corrected)
//
// Defaults (torch): lr 2e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0.
// Kingma & Ba 2015, section 7.1.
// Other libraries: the paper has no eps; Keras divides by u + eps with
// u = max(beta2 * u, |g|), and Optax does the same.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct AdamaxHyper {
  double lr = 2e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool maximize = false;
};

struct AdamaxState {
  long t = 0;
  std::vector<double> exp_avg;  // m
  std::vector<double> exp_inf;  // u, the decayed running maximum of |g|
};

void adamax_step(const AdamaxHyper& hyper, AdamaxState& state, std::span<double> params,
                 std::span<const double> grads);

// Step t's rate lr / (1 - beta1^t), for the double step and the batch engine.
double adamax_step_size(const AdamaxHyper& h, long t);

struct AdamaxMethod {
  using Hyper = AdamaxHyper;
  static constexpr int first_moment = 0;
  using State = AdamaxState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string&, const Hyper&) {}  // ranges suffice
  static State init(std::size_t dimension) {
    const std::vector<double> zeros(dimension, 0.0);
    return {0, zeros, zeros};
  }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    adamax_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.exp_avg, s.exp_inf};
  }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
