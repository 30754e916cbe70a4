// RAdam, PyTorch's `torch.optim.RAdam` (torch/optim/radam.py, `_single_tensor_radam`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   m <- beta1 * m + (1 - beta1) * g;   v <- beta2 * v + (1 - beta2) * g^2
//   m_hat = m / (1 - beta1^t)
//   rho_inf = 2 / (1 - beta2) - 1;   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
//   if rho_t > 5:
//     r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
//     p <- p - lr * m_hat * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r_t
//   else (variance of the adaptive step not yet tractable):
//     p <- p - lr * m_hat                  (un-adapted, SGD with averaged momentum)
//
// With the default beta2 0.999 the first 5 steps are un-adapted and the
// rectification starts at t = 6. Defaults (torch): lr 1e-3, beta1 0.9,
// beta2 0.999, eps 1e-8, weight_decay 0. Liu et al. 2020, "On the Variance of
// the Adaptive Learning Rate and Beyond".
// Other libraries: the authors' code and Optax switch at rho_t >= 5 (the same
// steps for the default betas), and the authors' code can skip the un-adapted
// steps instead; it also decays p directly, like torch's
// `decoupled_weight_decay` option (not offered here).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Radam {
  static constexpr const char* id = "radam";
  static std::vector<RegistryEntry> entries() {
    return {
        {id,
         "RAdam",
         "Adam with a rectified (warm-up free) adaptive step, torch.optim.RAdam (Liu et al. 2020)",
         {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), maximize()}}};
  }
  static std::vector<std::string> state_names() { return {"exp_avg", "exp_avg_sq"}; }
  static constexpr std::size_t kState = 2;
  static constexpr int first_moment = 0;

  struct Hyper {
    double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
    bool maximize = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"),           s.at("beta1"),          s.at("beta2"), s.at("eps"),
            s.at("weight_decay"), s.at("maximize") != 0.0};
  }
  template <class S>
  struct Coefficients {
    AdamMoments<S> moments;
    S eps, lr;
    Divisor<S> bc1;         // 1 - beta1^t
    S bc2_root;             // sqrt(1 - beta2^t)
    S rect;                 // r_t
    bool rectified;         // rho_t > 5
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, NoCarry&) {
    const double td = static_cast<double>(t);
    const double bc2 = optim::bias_correction(h.beta2, t);
    // Length of the approximated simple moving average, and its limit.
    const double rho_inf = 2.0 / (1.0 - h.beta2) - 1.0;
    const double rho_t = rho_inf - 2.0 * td * std::pow(h.beta2, td) / bc2;
    const bool rectified = rho_t > 5.0;
    const double rect = rectified ? std::sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf /
                                              ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                                  : 0.0;
    return {adam_moments<S>(h.maximize, h.weight_decay, h.beta1, h.beta2),
            S(h.eps),
            S(h.lr),
            divisor<S>(optim::bias_correction(h.beta1, t)),
            S(std::sqrt(bc2)),
            S(rect),
            rectified};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& m = state[0];
    T& v = state[1];
    g = c.moments(p, g, m, v);
    const T m_hat = m / c.bc1;
    if (c.rectified) {
      const T adaptive_lr = number<T>(c.bc2_root) / (sqrt(v) + c.eps);
      p = p - m_hat * c.lr * adaptive_lr * c.rect;
    } else {
      p = p - m_hat * c.lr;
    }
  }

  static std::string latex(const Hyper& h) {
    using latex::kBreak;
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
    rule += latex::moving_average("m", "\\beta_1", "g_t") + kBreak;
    rule += latex::moving_average("v", "\\beta_2", "g_t^2") + kBreak;
    rule +=
        "\\hat{m}_t = \\frac{m_t}{1-\\beta_1^t},\\quad "
        "\\rho_\\infty = \\frac{2}{1-\\beta_2} - 1,\\quad "
        "\\rho_t = \\rho_\\infty - \\frac{2t\\,\\beta_2^t}{1-\\beta_2^t}" +
        std::string(kBreak);
    rule +=
        "\\text{if } \\rho_t > 5:\\ r_t = \\sqrt{\\frac{(\\rho_t-4)(\\rho_t-2)\\,\\rho_\\infty}"
        "{(\\rho_\\infty-4)(\\rho_\\infty-2)\\,\\rho_t}},\\quad "
        "\\theta_t = \\theta_{t-1} - \\eta\\, \\hat{m}_t\\, r_t\\, \\frac{\\sqrt{1-\\beta_2^t}}{" +
        latex::root_plus_eps("v_t", false) + "}" + kBreak;
    rule += "\\text{else: } \\theta_t = \\theta_{t-1} - \\eta\\, \\hat{m}_t";
    return rule;
  }
};

}  // namespace descent::optim
