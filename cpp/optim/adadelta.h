// Adadelta, PyTorch's `torch.optim.Adadelta` (torch/optim/adadelta.py,
// `_single_tensor_adadelta`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   v <- rho * v + (1 - rho) * g^2
//   delta = sqrt(u + eps) / sqrt(v + eps) * g       (u from the previous step)
//   u <- rho * u + (1 - rho) * delta^2
//   p <- p - lr * delta
//
// Both epsilons are inside the roots. The ratio of the two roots gives delta
// the units of p, which is why the paper needs no learning rate (lr = 1).
// Defaults (torch): lr 1.0, rho 0.9, eps 1e-6, weight_decay 0. Zeiler 2012.
// Other libraries: the paper uses rho 0.95; Keras defaults to lr 0.001 and
// eps 1e-7.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct AdadeltaHyper {
  double lr = 1.0;
  double rho = 0.9;
  double eps = 1e-6;
  double weight_decay = 0.0;
  bool maximize = false;
};

struct AdadeltaState {
  long t = 0;
  std::vector<double> square_avg;  // v, the moving average of g^2
  std::vector<double> acc_delta;   // u, the moving average of delta^2
};

void adadelta_step(const AdadeltaHyper& hyper, AdadeltaState& state, std::span<double> params,
                   std::span<const double> grads);

struct AdadeltaMethod {
  using Hyper = AdadeltaHyper;
  static constexpr int first_moment = -1;
  using State = AdadeltaState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string&, const Hyper&) {}  // ranges suffice
  static State init(std::size_t dimension) {
    const std::vector<double> zeros(dimension, 0.0);
    return {0, zeros, zeros};
  }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    adadelta_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.square_avg, s.acc_delta};
  }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
