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

#include <cmath>
#include <string>
#include <vector>

#include "optim/gradient.h"
#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Lion {
  static constexpr const char* id = "lion";
  static std::vector<RegistryEntry> entries() {
    return {{id,
             "Lion",
             "sign of an interpolated momentum: every coordinate moves by lr (Chen et al. 2023)",
             {lr(1e-4),
              real("beta1", "weight of the momentum in the update's sign", 0.9, 0, 1, false, false,
                   Scale::Linear, 0, 1),
              real("beta2", "decay of the momentum (updated after the step)", 0.99, 0, 1, false,
                   false, Scale::Linear, 0, 1),
              decoupled_weight_decay(0.0)}}};
  }
  static std::vector<std::string> state_names() { return {"exp_avg"}; }
  static std::vector<std::string> state_symbols() { return {"m_t"}; }
  static constexpr std::size_t kState = 1;
  static constexpr int first_moment = 0;

  struct Hyper {
    double lr = 1e-4, beta1 = 0.9, beta2 = 0.99, weight_decay = 0.0;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"), s.at("beta1"), s.at("beta2"), s.at("weight_decay")};
  }
  static void check(const std::string& method, const Hyper& h) {
    check_decoupled_weight_decay(method, h.lr, h.weight_decay);
  }

  template <class S>
  struct Coefficients {
    bool decay;  // weight_decay != 0
    S keep;      // 1 - lr * weight_decay
    S lr;
    MovingAverage<S> interpolation, m;  // beta1 for the step's sign, beta2 for the momentum
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long, NoCarry&) {
    return {h.weight_decay != 0.0, S(1.0 - h.lr * h.weight_decay), S(h.lr),
            moving_average<S>(h.beta1), moving_average<S>(h.beta2)};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& m = state[0];
    if (c.decay) p = p * c.keep;
    const T interpolated = c.interpolation.of(m, g);
    // sign with sign(0) = 0, and NaN kept so a diverged run stays visibly non-finite.
    const T zero = number<T>(0.0);
    const T sign = select(lt(zero, interpolated), number<T>(1.0),
                          select(lt(interpolated, zero), number<T>(-1.0), interpolated));
    p = p - sign * c.lr;
    m = c.m.of(m, g);
  }

  static std::string latex(const Hyper& h) {
    using latex::kBreak;
    std::string rule = latex::gradient(false, 0.0) + kBreak;
    rule += "c_t = \\beta_1\\, m_{t-1} + (1-\\beta_1)\\, g_t" + std::string(kBreak);
    rule += "\\theta_t = " + latex::decayed_theta(h.weight_decay) +
            " - \\eta\\, \\operatorname{sign}(c_t)" + kBreak;
    rule += latex::moving_average("m", "\\beta_2", "g_t");
    return rule;
  }
};

}  // namespace descent::optim
