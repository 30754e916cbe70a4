// NAdam, PyTorch's `torch.optim.NAdam` in its torch >= 2.0 form
// (torch/optim/nadam.py, `_single_tensor_nadam`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))     (also mu_{t+1})
//   mu_product <- mu_product * mu_t          (prod of mu_1..mu_t, starts at 1)
//   m <- beta1 * m + (1 - beta1) * g;   v <- beta2 * v + (1 - beta2) * g^2
//   den = sqrt(v / (1 - beta2^t)) + eps
//   p <- p - lr * (1 - mu_t) / (1 - mu_product) * g / den
//          - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / den
//
// Defaults (torch): lr 2e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0,
// momentum_decay 4e-3. Dozat 2016, "Incorporating Nesterov Momentum into Adam",
// whose mu_t schedule this is (0.96^(t/250)).
// Other libraries: Keras uses the same schedule; Optax's nadam is the simpler
// form with a constant mu = beta1 and Adam's bias corrections.
// mu_product is one number, not a per-coordinate buffer, so it is not listed
// in `state`. Torch keeps it in the default dtype (float32 unless the default
// is float64), which is one source of small differences from Descent's doubles.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct NadamHyper {
  double lr = 2e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum_decay = 4e-3;
  bool maximize = false;
};

struct NadamState {
  long t = 0;
  double mu_product = 1.0;         // mu_1 * ... * mu_t
  std::vector<double> exp_avg;     // m
  std::vector<double> exp_avg_sq;  // v
};

void nadam_step(const NadamHyper& hyper, NadamState& state, std::span<double> params,
                std::span<const double> grads);

// Step t's scalars, for the double step and the batch engine alike:
// grad_step = lr (1 - mu_t) / (1 - prod mu_1..t), momentum_step = lr mu_{t+1}
// / (1 - prod mu_1..t+1), bc2 = 1 - beta2^t. Multiplies mu_t into mu_product.
struct NadamStepScalars {
  double grad_step, momentum_step, bc2;
};
NadamStepScalars nadam_step_scalars(const NadamHyper& h, long t, double& mu_product);

struct NadamMethod {
  using Hyper = NadamHyper;
  static constexpr int first_moment = 0;
  using State = NadamState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string&, const Hyper&) {}  // ranges suffice
  static State init(std::size_t dimension) {
    const std::vector<double> zeros(dimension, 0.0);
    return {0, 1.0, zeros, zeros};
  }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    nadam_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.exp_avg, s.exp_avg_sq};
  }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
