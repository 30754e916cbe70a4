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

#include <cmath>
#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Adadelta {
  static constexpr const char* id = "adadelta";
  static std::vector<RegistryEntry> entries() {
    return {{id,
             "Adadelta",
             "steps in the units of the parameters, from the ratio of two moving RMS, "
             "torch.optim.Adadelta (Zeiler 2012)",
             {lr(1.0),
              real("rho", "decay of the moving averages of g^2 and of the squared steps", 0.9, 0, 1,
                   false, false, Scale::Linear, 0, 0.999),
              eps(1e-6), weight_decay(), maximize()}}};
  }
  static std::vector<std::string> state_names() { return {"square_avg", "acc_delta"}; }
  static std::vector<std::string> state_symbols() { return {"v_t", "u_t"}; }
  static constexpr std::size_t kState = 2;
  static constexpr int first_moment = -1;

  struct Hyper {
    double lr = 1.0, rho = 0.9, eps = 1e-6, weight_decay = 0.0;
    bool maximize = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"), s.at("rho"), s.at("eps"), s.at("weight_decay"), s.at("maximize") != 0.0};
  }
  template <class S>
  struct Coefficients {
    GradientStage<S> gradient;
    MovingAverage<S> average;  // rho: v of g^2, u of delta^2
    S eps, lr;
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long, NoCarry&) {
    return {gradient_stage<S>(h.maximize, h.weight_decay), moving_average<S>(h.rho), S(h.eps),
            S(h.lr)};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& v = state[0];
    T& u = state[1];
    g = c.gradient(g, p);
    v = c.average.of_square(v, g);
    const T delta = sqrt(u + c.eps) / sqrt(v + c.eps) * g;
    u = c.average.of_square(u, delta);
    p = p - delta * c.lr;
  }

  static std::string latex(const Hyper& h) {
    using latex::kBreak;
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
    rule += latex::moving_average("v", "\\rho", "g_t^2") + kBreak;
    rule += "\\Delta_t = \\frac{" + latex::root_plus_eps("u_{t-1}", true) + "}{" +
            latex::root_plus_eps("v_t", true) + "}\\, g_t" + kBreak;
    rule += latex::moving_average("u", "\\rho", "\\Delta_t^2") + kBreak;
    rule += "\\theta_t = \\theta_{t-1} - \\eta\\, \\Delta_t";
    return rule;
  }
};

}  // namespace descent::optim
