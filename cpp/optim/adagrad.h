// AdaGrad, PyTorch's `torch.optim.Adagrad` (torch/optim/adagrad.py,
// `_single_tensor_adagrad`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   clr = lr / (1 + (t - 1) * lr_decay)
//   G  <- G + g^2                       G_0 = initial_accumulator_value
//   p  <- p - clr * g / (sqrt(G) + eps)        (eps outside the root)
//
// Defaults (torch): lr 1e-2, lr_decay 0, weight_decay 0,
// initial_accumulator_value 0, eps 1e-10. Duchi, Hazan & Singer 2011.
// LaTeX symbols: \delta lr_decay, \tau initial_accumulator_value.
//
// Variants:
//   `adagrad_notes`: eps 1e-5 outside the root, as some lecture notes write it.
//   `eps_inside_root`: p <- p - clr * g / sqrt(G + eps), the form Keras and
//   Optax use (they also default to eps 1e-7 and an initial accumulator of 0.1).
//
// Torch fills G with initial_accumulator_value when the optimizer is made; here
// the state is made without the settings, so the first step seeds it. The
// trajectory is the same; before step 1 (and after reset) `sum` reads 0.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct AdagradHyper {
  double lr = 1e-2;
  double lr_decay = 0.0;
  double weight_decay = 0.0;
  double initial_accumulator_value = 0.0;
  double eps = 1e-10;
  bool maximize = false;
  bool eps_inside_root = false;
};

struct AdagradState {
  long t = 0;
  std::vector<double> sum;  // G, the running sum of squared gradients
};

void adagrad_step(const AdagradHyper& hyper, AdagradState& state, std::span<double> params,
                  std::span<const double> grads);

// Step t's decayed rate lr / (1 + (t - 1) lr_decay), for the double step and the batch engine.
double adagrad_step_size(const AdagradHyper& h, long t);

struct AdagradMethod {
  using Hyper = AdagradHyper;
  static constexpr int first_moment = -1;
  using State = AdagradState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string&, const Hyper&) {}  // ranges suffice
  static State init(std::size_t dimension) { return {0, std::vector<double>(dimension, 0.0)}; }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    adagrad_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) { return {s.sum}; }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
