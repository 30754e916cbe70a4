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

#include <cmath>
#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Nadam {
  static constexpr const char* id = "nadam";
  static std::vector<RegistryEntry> entries() {
    const ParamInfo momentum_decay =
        real("momentum_decay", "how fast the momentum schedule mu_t rises toward beta1", 4e-3, 0,
             kInf, false, false, Scale::Linear, 0, 0.1);
    return {{id,
             "NAdam",
             "Adam with Nesterov momentum and a rising momentum schedule, torch.optim.NAdam (Dozat "
             "2016)",
             {lr(2e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), momentum_decay,
              maximize()}}};
  }
  static std::vector<std::string> state_names() { return {"exp_avg", "exp_avg_sq"}; }
  static constexpr std::size_t kState = 2;
  static constexpr int first_moment = 0;

  struct Hyper {
    double lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0,
           momentum_decay = 4e-3;
    bool maximize = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"),           s.at("beta1"),          s.at("beta2"), s.at("eps"),
            s.at("weight_decay"), s.at("momentum_decay"), s.at("maximize") != 0.0};
  }
  struct Carry {
    double mu_product = 1.0;  // mu_1 * ... * mu_t
  };
  template <class S>
  struct Coefficients {
    AdamMoments<S> moments;
    S eps;
    S grad_step;            // lr (1 - mu_t) / (1 - mu_product)
    S momentum_step;        // lr mu_{t+1} / (1 - mu_product mu_{t+1})
    Divisor<S> bc2;         // 1 - beta2^t
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, Carry& carry) {
    const auto mu_at = [&](double step) {
      return h.beta1 * (1.0 - 0.5 * std::pow(0.96, step * h.momentum_decay));
    };
    const double td = static_cast<double>(t);
    const double mu = mu_at(td), mu_next = mu_at(td + 1.0);
    carry.mu_product *= mu;
    const double mu_product_next = carry.mu_product * mu_next;
    return {adam_moments<S>(h.maximize, h.weight_decay, h.beta1, h.beta2),
            S(h.eps),
            S(h.lr * (1.0 - mu) / (1.0 - carry.mu_product)),
            S(h.lr * mu_next / (1.0 - mu_product_next)),
            divisor<S>(optim::bias_correction(h.beta2, t))};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& m = state[0];
    T& v = state[1];
    g = c.moments(p, g, m, v);
    const T den = sqrt(v / c.bc2) + c.eps;
    p = p - (g / den) * c.grad_step;
    p = p - (m / den) * c.momentum_step;
  }

  static std::string latex(const Hyper& h) {
    using latex::kBreak;
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
    rule += "\\mu_t = \\beta_1\\big(1 - \\tfrac{1}{2}\\, 0.96^{t\\psi}\\big)" + std::string(kBreak);
    rule += latex::moving_average("m", "\\beta_1", "g_t") + kBreak;
    rule += latex::moving_average("v", "\\beta_2", "g_t^2") + kBreak;
    rule += "\\hat{v}_t = \\frac{v_t}{1-\\beta_2^t}" + std::string(kBreak);
    const std::string denom = latex::root_plus_eps("\\hat{v}_t", false);
    rule +=
        "\\theta_t = \\theta_{t-1} - \\eta\\, \\frac{1-\\mu_t}{1-\\prod_{i=1}^{t}\\mu_i}\\, "
        "\\frac{g_t}{" +
        denom + "} - \\eta\\, \\frac{\\mu_{t+1}}{1-\\prod_{i=1}^{t+1}\\mu_i}\\, \\frac{m_t}{" +
        denom + "}";
    return rule;
  }
};

}  // namespace descent::optim
