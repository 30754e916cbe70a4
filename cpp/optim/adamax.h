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

#include <cmath>
#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Adamax {
  static constexpr const char* id = "adamax";
  static std::vector<RegistryEntry> entries() {
    return {
        {id,
         "Adamax",
         "Adam with a decayed running maximum of |g| in place of the root mean square, "
         "torch.optim.Adamax (Kingma & Ba 2015)",
         {lr(2e-3), beta1(0.9), with_meaning(beta2(0.999), "decay of the running maximum of |g|"),
          eps(1e-8), weight_decay(), maximize()}}};
  }
  static std::vector<std::string> state_names() { return {"exp_avg", "exp_inf"}; }
  static std::vector<std::string> state_symbols() { return {"m_t", "u_t"}; }
  static constexpr std::size_t kState = 2;
  static constexpr int first_moment = 0;

  struct Hyper {
    double lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
    bool maximize = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"), s.at("beta1"), s.at("beta2"), s.at("eps"), s.at("weight_decay"),
            s.at("maximize") != 0.0};
  }
  template <class S>
  struct Coefficients {
    GradientStage<S> gradient;
    MovingAverage<S> m;  // beta1
    S beta2, eps;
    S step;  // lr / (1 - beta1^t): only m is bias-corrected
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, NoCarry&) {
    return {gradient_stage<S>(h.maximize, h.weight_decay), moving_average<S>(h.beta1), S(h.beta2),
            S(h.eps), S(h.lr / optim::bias_correction(h.beta1, t))};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& m = state[0];
    T& u = state[1];
    g = c.gradient(g, p);
    m = c.m.of(m, g);
    u = pmax(u * c.beta2, abs(g) + c.eps);
    p = p - (m / u) * c.step;
  }

  static std::string latex(const Hyper& h) {
    using latex::kBreak;
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
    rule += latex::moving_average("m", "\\beta_1", "g_t") + kBreak;
    rule += "u_t = \\max(\\beta_2\\, u_{t-1},\\, |g_t| + \\epsilon)" + std::string(kBreak);
    rule += "\\theta_t = \\theta_{t-1} - \\frac{\\eta}{1-\\beta_1^t}\\, \\frac{m_t}{u_t}";
    return rule;
  }
};

}  // namespace descent::optim
