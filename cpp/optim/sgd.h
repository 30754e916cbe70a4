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

#include <string>
#include <vector>

#include "common/error.h"
#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Sgd {
  static constexpr const char* id = "sgd";
  // Three registry entries run this rule: plain SGD, heavy ball, and the
  // lecture-note moving average.
  static std::vector<RegistryEntry> entries() {
    const ParamInfo momentum = real("momentum", "heavy-ball momentum factor (0 = plain SGD)", 0.0,
                                    0, 1, false, true, Scale::Linear, 0, 0.99);
    const ParamInfo dampening = real("dampening", "scales the new gradient by (1 - dampening)",
                                     0.0, 0, 1, false, false, Scale::Linear, 0, 1);
    const ParamInfo nesterov =
        flag("nesterov", "look-ahead gradient (needs momentum > 0 and dampening 0)");
    const ParamInfo moving_average =
        flag("moving_average",
             "variant: b = momentum*b + (1-momentum)*g with b0 = 0 (lecture-note form)");
    return {{"sgd", "SGD", "plain gradient descent, torch.optim.SGD",
             {lr(1e-3), momentum, dampening, weight_decay(), nesterov, maximize(),
              moving_average}},
            {"momentum", "Momentum",
             "heavy-ball momentum, torch.optim.SGD(momentum=0.9) (Polyak 1964)",
             {lr(1e-3), with_default(momentum, 0.9), dampening, weight_decay(), nesterov,
              maximize(), moving_average}},
            {"momentum_ema", "Momentum (moving average)",
             "variant: momentum as a moving average of gradients; equals heavy ball with "
             "lr*(1-momentum)",
             {lr(1e-2), with_default(momentum, 0.9), dampening, weight_decay(), nesterov,
              maximize(), with_default(moving_average, 1.0)}}};
  }
  static std::vector<std::string> state_names() { return {"momentum_buffer"}; }
  static constexpr std::size_t kState = 1;
  static constexpr int first_moment = 0;

  struct Hyper {
    double lr = 1e-3, momentum = 0.0, dampening = 0.0, weight_decay = 0.0;
    bool nesterov = false, maximize = false, moving_average = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"),           s.at("momentum"),          s.at("dampening"),
            s.at("weight_decay"), s.at("nesterov") != 0.0,   s.at("maximize") != 0.0,
            s.at("moving_average") != 0.0};
  }
  static void check(const std::string& id, const Hyper& h) {
    if (h.nesterov && (h.momentum <= 0.0 || h.dampening != 0.0))
      throw Error(id + ": nesterov requires momentum > 0 and dampening = 0");
    if (h.nesterov && h.moving_average)
      throw Error(id + ": nesterov and moving_average cannot be combined");
  }

  template <class S>
  struct Coefficients {
    GradientStage<S> gradient;
    S lr;
    MovingAverage<S> buffer;  // b <- momentum * b + (1 - dampening) * g
    S momentum;               // Nesterov's look-ahead factor
    bool with_buffer;         // momentum != 0, or the moving average
    bool first;               // torch's first buffer is g itself, undamped
    bool nesterov;
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, NoCarry&) {
    const bool heavy_ball = !h.moving_average && h.momentum != 0.0;
    return {gradient_stage<S>(h.maximize, h.weight_decay),
            S(h.lr),
            {S(h.momentum), S(1.0 - (h.moving_average ? h.momentum : h.dampening))},
            S(h.momentum),
            h.moving_average || heavy_ball,
            heavy_ball && t == 1,
            h.nesterov};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& b = state[0];
    g = c.gradient(g, p);
    T d = g;
    if (c.with_buffer) {
      b = c.first ? g : c.buffer.of(b, g);
      d = c.nesterov ? g + b * c.momentum : b;
    }
    p = p - d * c.lr;
  }

  // Without momentum the buffer is not touched (the batch engine then skips it).
  template <class S>
  static bool uses_state(const Coefficients<S>& c) {
    return c.with_buffer;
  }

  static std::string latex(const Hyper& h) {
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + latex::kBreak;
    if (h.moving_average) {
      rule += "b_t = \\mu\\, b_{t-1} + (1-\\mu)\\, g_t,\\quad b_0 = 0 \\\\ "
              "\\theta_t = \\theta_{t-1} - \\eta\\, b_t";
    } else if (h.momentum != 0.0) {
      rule += "b_1 = g_1,\\quad b_t = \\mu\\, b_{t-1} + (1-\\tau)\\, g_t \\\\ ";
      rule += h.nesterov ? "\\theta_t = \\theta_{t-1} - \\eta\\,(g_t + \\mu\\, b_t)"
                         : "\\theta_t = \\theta_{t-1} - \\eta\\, b_t";
    } else {
      rule += "\\theta_t = \\theta_{t-1} - \\eta\\, g_t";
    }
    return rule;
  }
};

}  // namespace descent::optim
