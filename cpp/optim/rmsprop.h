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

#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Rmsprop {
  static constexpr const char* id = "rmsprop";
  // Two registry entries run this rule: torch's defaults and Hinton's decay.
  static std::vector<RegistryEntry> entries() {
    const ParamInfo alpha = real("alpha", "decay of the moving average of squared gradients", 0.99,
                                 0, 1, false, false, Scale::Linear, 0, 0.999);
    const ParamInfo momentum = real("momentum", "momentum on the scaled step (0 = none)", 0.0, 0,
                                    1, false, true, Scale::Linear, 0, 0.99);
    const ParamInfo centered =
        flag("centered", "divide by the root of the gradient's variance, not its mean square");
    return {{"rmsprop", "RMSProp",
             "steps scaled by a moving root mean square of gradients, torch.optim.RMSprop "
             "(Hinton 2012)",
             {lr(1e-2), alpha, eps(1e-8), weight_decay(), momentum, centered, maximize(),
              eps_inside_root()}},
            {"rmsprop_hinton", "RMSProp (decay 0.9)",
             "variant: RMSProp with decay 0.9, as in Hinton's lecture and Keras",
             {lr(1e-2), with_default(alpha, 0.9), eps(1e-8), weight_decay(), momentum, centered,
              maximize(), eps_inside_root()}}};
  }
  static std::vector<std::string> state_names() {
    return {"square_avg", "grad_avg", "momentum_buffer"};
  }
  static std::vector<std::string> state_symbols() { return {"v_t", "\\bar{g}_t", "b_t"}; }
  static constexpr std::size_t kState = 3;
  static constexpr int first_moment = 2;

  struct Hyper {
    double lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0.0, momentum = 0.0;
    bool centered = false, maximize = false, eps_inside_root = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"),           s.at("alpha"),           s.at("eps"),
            s.at("weight_decay"), s.at("momentum"),        s.at("centered") != 0.0,
            s.at("maximize") != 0.0, s.at("eps_inside_root") != 0.0};
  }
  template <class S>
  struct Coefficients {
    GradientStage<S> gradient;
    MovingAverage<S> average;  // alpha: v of g^2, gbar of g
    S eps, lr, momentum;
    bool centered, eps_inside_root, with_momentum;
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long, NoCarry&) {
    return {gradient_stage<S>(h.maximize, h.weight_decay), moving_average<S>(h.alpha), S(h.eps),
            S(h.lr), S(h.momentum), h.centered, h.eps_inside_root, h.momentum > 0.0};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& v = state[0];
    T& gbar = state[1];
    T& b = state[2];
    g = c.gradient(g, p);
    v = c.average.of_square(v, g);
    T mean_square = v;
    if (c.centered) {
      gbar = c.average.of(gbar, g);
      mean_square = v - gbar * gbar;
    }
    const T den = c.eps_inside_root ? sqrt(mean_square + c.eps) : sqrt(mean_square) + c.eps;
    if (c.with_momentum) {
      b = b * c.momentum + g / den;
      p = p - b * c.lr;
    } else {
      p = p - (g / den) * c.lr;
    }
  }

  static std::string latex(const Hyper& h) {
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + latex::kBreak;
    rule += latex::moving_average("v", "\\alpha", "g_t^2") + latex::kBreak;
    std::string mean_square = "v_t";
    if (h.centered) {
      rule += latex::moving_average("\\bar{g}", "\\alpha", "g_t") + latex::kBreak;
      mean_square = "v_t - \\bar{g}_t^2";
    }
    const std::string scaled =
        "\\frac{g_t}{" + latex::root_plus_eps(mean_square, h.eps_inside_root) + "}";
    if (h.momentum > 0.0) {
      rule += "b_t = \\mu\\, b_{t-1} + " + scaled + ",\\quad b_0 = 0" + latex::kBreak +
              "\\theta_t = \\theta_{t-1} - \\eta\\, b_t";
    } else {
      rule += "\\theta_t = \\theta_{t-1} - \\eta\\, " + scaled;
    }
    return rule;
  }
};

}  // namespace descent::optim
