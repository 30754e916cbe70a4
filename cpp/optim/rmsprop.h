// RMSProp, PyTorch's `torch.optim.RMSprop` (torch/optim/rmsprop.py,
// `_single_tensor_rmsprop`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   v <- alpha * v + (1 - alpha) * g^2
//   den = sqrt(v) + eps,  or when centered:
//         gbar <- alpha * gbar + (1 - alpha) * g;  den = sqrt(v - gbar^2) + eps
//   with momentum > 0:  b <- momentum * b + g / den;  p <- p - lr * b   (b_0 = 0)
//   else:               p <- p - lr * g / den
//
// No bias correction: v starts at 0, so the first steps are large
// (lr / sqrt(1 - alpha) per coordinate at t = 1). Defaults (torch): lr 1e-2,
// alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered off. Hinton,
// Coursera lecture 6e (2012); centered form from Graves 2013.
//
// Variants:
//   `rmsprop_hinton`: alpha 0.9, the decay of Hinton's lecture and Keras.
//   `eps_inside_root`: den = sqrt(v + eps) (or sqrt(v - gbar^2 + eps)), the form
//   of Keras/TensorFlow and Optax.
// Torch updates gbar with lerp, the same value up to rounding. Torch accepts any
// alpha >= 0; alpha > 1 makes v negative (a NaN root), so Descent takes [0, 1].
// Momentum is kept in [0, 1) as for SGD: at 1 or more the buffer never decays.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

struct RmspropHyper {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum = 0.0;
  bool centered = false;
  bool maximize = false;
  bool eps_inside_root = false;
};

struct RmspropState {
  long t = 0;
  std::vector<double> square_avg;       // v
  std::vector<double> grad_avg;         // gbar (only moves when centered)
  std::vector<double> momentum_buffer;  // b (only moves with momentum > 0)
};

void rmsprop_step(const RmspropHyper& hyper, RmspropState& state, std::span<double> params,
                  std::span<const double> grads);

struct RmspropMethod {
  using Hyper = RmspropHyper;
  static constexpr int first_moment = 2;
  using State = RmspropState;
  static Hyper hyper(const Settings& s);
  static void check(const std::string&, const Hyper&) {}  // ranges suffice
  static State init(std::size_t dimension) {
    const std::vector<double> zeros(dimension, 0.0);
    return {0, zeros, zeros, zeros};
  }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    rmsprop_step(h, s, p, g);
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.square_avg, s.grad_avg, s.momentum_buffer};
  }
  static std::string latex(const Hyper& h);
};

}  // namespace descent::optim
