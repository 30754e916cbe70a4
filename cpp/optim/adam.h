// Adam, PyTorch's `torch.optim.Adam` (torch/optim/adam.py, `_single_tensor_adam`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   m <- beta1 * m + (1 - beta1) * g
//   v <- beta2 * v + (1 - beta2) * g^2
//   amsgrad: vmax <- max(vmax, v) (the raw v), used in place of v below
//   bc1 = 1 - beta1^t,  bc2 = 1 - beta2^t
//   p <- p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
//
// so eps is added to the bias-corrected root, sqrt(v_hat) + eps. Defaults
// (torch): lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0, amsgrad
// off. Kingma & Ba 2015; AMSGrad from Reddi, Kale & Kumar 2018.
//
// Variant switches:
//   `bias_correction` off (the `adam_nobc` entry): bc1 = bc2 = 1, i.e.
//     p <- p - lr * m / (sqrt(v) + eps). The first steps are then
//     (1 - beta1^t) / sqrt(1 - beta2^t) times larger: 3.16x at t = 1,
//     about 6.57x near t = 12 with the default betas.
//   `eps_inside_root`: p <- p - (lr / bc1) * m / sqrt(v / bc2 + eps), i.e.
//     sqrt(v_hat + eps) (without bias correction sqrt(v + eps)).
// Other libraries: the paper's Algorithm 1, Keras and Optax also add eps to
// sqrt(v_hat); the paper's "more efficient" form and TensorFlow 1 fold the
// corrections into the step size, lr * sqrt(bc2) / bc1, and add eps to the
// uncorrected sqrt(v) ("epsilon hat"). Torch updates m with lerp, the same value
// up to rounding.
//
// AdamW (adamw.h) runs this same step with `decoupled_weight_decay` set.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct AdamHyper {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
  bool maximize = false;
  bool bias_correction = true;
  bool eps_inside_root = false;
  // Not a setting of its own: AdamW sets it. Decays p by (1 - lr * weight_decay)
  // before the step instead of adding weight_decay * p to the gradient.
  bool decoupled_weight_decay = false;
};

struct AdamState {
  long t = 0;
  std::vector<double> exp_avg;         // m
  std::vector<double> exp_avg_sq;      // v
  std::vector<double> max_exp_avg_sq;  // vmax (only moves with amsgrad)
};

void adam_step(const AdamHyper& hyper, AdamState& state, std::span<double> params,
               std::span<const double> grads);

// Step t's bias corrections 1 - beta1^t and 1 - beta2^t (both 1 without
// bias_correction): computed here once for the double step and the batch
// engine's float32 scalars.
struct BiasCorrections {
  double bc1, bc2;
};
BiasCorrections adam_bias_corrections(const AdamHyper& h, long t);

// The settings every Adam-style entry shares (all but the weight decay's kind).
AdamHyper adam_hyper(const Settings& s, bool decoupled_weight_decay);
// The update rule adam_step runs for `h`, as LaTeX.
std::string adam_latex(const AdamHyper& h);

struct AdamMethod {
  using Hyper = AdamHyper;
  static constexpr int first_moment = 0;
  using State = AdamState;
  static Hyper hyper(const Settings& s) { return adam_hyper(s, false); }
  static void check(const std::string&, const Hyper&) {}  // ranges suffice
  static State init(std::size_t dimension) {
    const std::vector<double> zeros(dimension, 0.0);
    return {0, zeros, zeros, zeros};
  }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    adam_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq};
  }
  static std::string latex(const Hyper& h) { return adam_latex(h); }
};

}  // namespace descent::optim
