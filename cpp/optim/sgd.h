// SGD with optional heavy-ball momentum, PyTorch's `torch.optim.SGD`.
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   first step: b = g;  later: b = momentum * b + (1 - dampening) * g
//   d = g + momentum * b  if nesterov, else b      (d = g when momentum = 0)
//   p <- p - lr * d
//
// Defaults: torch requires lr; Descent uses 1e-3 (`sgd`) with momentum 0, and
// momentum 0.9 for the `momentum` entry. Nesterov needs momentum > 0 and
// dampening 0 (as torch enforces). Polyak 1964; Sutskever et al. 2013 for the
// Nesterov form torch uses.
//
// Variant `moving_average` (the form of many lecture notes, e.g. Ng's course):
//   b = momentum * b + (1 - momentum) * g  with b0 = 0 (also on the first step);
//   p <- p - lr * b.
// It equals heavy ball with lr * (1 - momentum), step for step. Torch's
// `dampening = momentum` is NOT this form: torch's first buffer is g, undamped.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct SgdHyper {
  double lr = 1e-3;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
  bool maximize = false;
  bool moving_average = false;
};

struct SgdState {
  long t = 0;
  std::vector<double> momentum_buffer;  // b
};

void sgd_step(const SgdHyper& hyper, SgdState& state, std::span<double> params,
              std::span<const double> grads);

struct SgdMethod {
  using Hyper = SgdHyper;
  static constexpr int first_moment = 0;
  using State = SgdState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string& id, const Hyper& h);
  static State init(std::size_t dimension) { return {0, std::vector<double>(dimension, 0.0)}; }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    sgd_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.momentum_buffer};
  }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
