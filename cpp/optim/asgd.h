// ASGD, PyTorch's `torch.optim.ASGD` (torch/optim/asgd.py, `_single_tensor_asgd`,
// torch 1.13): averaged stochastic gradient descent. The iterate takes decayed
// SGD steps with a rate that shrinks as 1/t^alpha; from step t0 on, the state
// keeps the running average ax of the iterates (Polyak-Ruppert averaging),
// which is the estimate the method offers; the iterate itself moves on.
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   p <- p * (1 - lambd * eta_t)
//   p <- p - eta_t * g
//   ax <- p if mu_t = 1, else ax + mu_t * (p - ax)
//   eta_{t+1} = lr / (1 + lambd * lr * t)^alpha,  mu_{t+1} = 1 / max(1, t - t0)
//   (eta_1 = lr, mu_1 = 1; torch computes the next step's values after a step,
//   with the lr of that step, so a schedule's rate reaches eta one step later)
//
// Defaults (torch): lr 0.01, lambd 1e-4, alpha 0.75, t0 1e6, weight_decay 0.
// Polyak & Juditsky 1992; Bottou 2012 for the rate. Other libraries: Optax
// and Keras have no ASGD.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "common/portable_math.h"
#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Asgd {
  static constexpr const char* id = "asgd";
  static std::vector<RegistryEntry> entries() {
    return {
        {id,
         "ASGD",
         "averaged SGD: decayed steps at a rate shrinking as 1/t^alpha, keeping the running "
         "average of the iterates from step t0 on, torch.optim.ASGD (Polyak & Juditsky 1992)",
         {lr(0.01),
          real("lambd", "decay term: shrinks p by 1 - lambd * eta each step and the rate over time",
               1e-4, 0, kInf, false, false, Scale::Linear, 0, 0.1),
          real("alpha", "power of the rate's decay: eta = lr / (1 + lambd lr t)^alpha", 0.75, 0,
               kInf, false, false, Scale::Linear, 0, 1),
          real("t0", "step from which the average of the iterates starts", 1e6, 0, kInf, false,
               false, Scale::Linear, 0, 1e6),
          weight_decay(), maximize()}}};
  }
  static std::vector<std::string> state_names() { return {"ax"}; }
  static std::vector<std::string> state_symbols() { return {"\\bar{\\theta}_t"}; }
  static constexpr std::size_t kState = 1;
  static constexpr int first_moment = -1;

  struct Hyper {
    double lr = 0.01, lambd = 1e-4, alpha = 0.75, t0 = 1e6, weight_decay = 0.0;
    bool maximize = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"), s.at("lambd"), s.at("alpha"), s.at("t0"), s.at("weight_decay"),
            s.at("maximize") != 0.0};
  }
  // torch's per-parameter scalars eta and mu: this step's values.
  struct Carry {
    double eta = 0.0, mu = 1.0;
  };
  template <class S>
  struct Coefficients {
    GradientStage<S> gradient;
    S shrink;  // 1 - lambd * eta_t
    S eta, mu;
    bool copy;  // mu_t = 1: the average is the iterate
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, Carry& carry) {
    if (t == 1) carry = {h.lr, 1.0};
    const Coefficients<S> c{gradient_stage<S>(h.maximize, h.weight_decay),
                            S(1.0 - h.lambd * carry.eta), S(carry.eta), S(carry.mu),
                            carry.mu == 1.0};
    const double steps = static_cast<double>(t);
    // portable_pow, not std::pow: the same bits in the CLI and the page.
    carry.eta = h.lr / portable_pow(1.0 + h.lambd * h.lr * steps, h.alpha);
    carry.mu = 1.0 / std::max(1.0, steps - h.t0);
    return c;
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& ax = state[0];
    g = c.gradient(g, p);
    p = p * c.shrink;
    p = p - g * c.eta;
    ax = c.copy ? p : ax + (p - ax) * c.mu;
  }

  static std::string latex(const Hyper& h) {
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + latex::kBreak;
    rule += "\\theta_t = (1-\\lambda_d\\,\\eta_t)\\,\\theta_{t-1} - \\eta_t\\, g_t";
    rule += latex::kBreak;
    rule += "\\bar{\\theta}_t = \\bar{\\theta}_{t-1} + \\mu_t\\,(\\theta_t - \\bar{\\theta}_{t-1})";
    rule += latex::kBreak;
    rule +=
        "\\eta_{t+1} = \\frac{\\eta}{(1 + \\lambda_d\\, \\eta\\, t)^{\\alpha}},\\quad "
        "\\mu_{t+1} = \\frac{1}{\\max(1,\\, t - t_0)}";
    return rule;
  }
};

}  // namespace descent::optim
