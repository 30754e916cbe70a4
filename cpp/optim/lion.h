// Lion ("EvoLved Sign Momentum"), Chen et al. 2023, "Symbolic Discovery of
// Optimization Algorithms". Not in torch.optim; this follows the paper's
// Program 1 and the authors' reference code.
//
//   p <- p * (1 - lr * weight_decay)           (decoupled, as AdamW)
//   c = beta1 * m + (1 - beta1) * g
//   p <- p - lr * sign(c)                      (sign(0) = 0)
//   m <- beta2 * m + (1 - beta2) * g           (after the update)
//
// Every coordinate moves by exactly lr (or 0), whatever the gradient's size, so
// Lion wants a smaller lr than Adam (the paper suggests 3-10x smaller).
// Defaults (paper and lion-pytorch): lr 1e-4, beta1 0.9, beta2 0.99,
// weight_decay 0. Optax's lion runs the same rule (with weight_decay 1e-3 by
// default).
// Betas may be 1: there is no bias correction to divide by 1 - beta^t.
// As for AdamW, lr * weight_decay > 1 would flip p each step and is rejected.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct LionHyper {
  double lr = 1e-4;
  double beta1 = 0.9;
  double beta2 = 0.99;
  double weight_decay = 0.0;
};

struct LionState {
  long t = 0;
  std::vector<double> exp_avg;  // m
};

void lion_step(const LionHyper& hyper, LionState& state, std::span<double> params,
               std::span<const double> grads);

struct LionMethod {
  using Hyper = LionHyper;
  static constexpr int first_moment = 0;
  using State = LionState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string& id, const Hyper& h);
  static State init(std::size_t dimension) { return {0, std::vector<double>(dimension, 0.0)}; }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    lion_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) { return {s.exp_avg}; }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
