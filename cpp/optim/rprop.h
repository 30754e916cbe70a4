// Rprop, PyTorch's `torch.optim.Rprop` (torch/optim/rprop.py,
// `_single_tensor_rprop`, torch 1.13): resilient backpropagation, a per-
// coordinate step size that grows while the gradient keeps its sign and
// shrinks when it flips; only the gradient's sign moves the parameter.
//
//   g <- -g if maximize;  s = sign(g * g_prev)        (sign(NaN) = 0, as torch)
//   step <- clamp(step * (eta_plus if s > 0, eta_minus if s < 0, else 1),
//                 step_min, step_max)                  (step starts at lr)
//   g <- 0 where s < 0                                 (no move right after a flip)
//   p <- p - sign(g) * step;  g_prev <- g
//
// Defaults (torch): lr 0.01, etas (eta_minus 0.5, eta_plus 1.2), step_sizes
// (step_min 1e-6, step_max 50). Riedmiller & Braun 1993; torch's rule is the
// "Rprop-" variant without weight backtracking. Other libraries: Optax has
// no Rprop; Keras neither. Torch takes etas and step_sizes as pairs; here
// they are four keys.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Rprop {
  static constexpr const char* id = "rprop";
  static std::vector<RegistryEntry> entries() {
    return {
        {id,
         "Rprop",
         "resilient backpropagation: per-coordinate step sizes grown while the gradient keeps "
         "its sign and shrunk when it flips, torch.optim.Rprop (Riedmiller & Braun 1993)",
         {with_meaning(lr(0.01), "the initial step size of every coordinate"),
          real("eta_minus", "factor that shrinks a step size when the gradient flips sign", 0.5, 0,
               1, true, true, Scale::Linear, 0.05, 0.95),
          real("eta_plus", "factor that grows a step size while the gradient keeps its sign", 1.2,
               1, kInf, true, false, Scale::Linear, 1.01, 2),
          real("step_min", "smallest step size", 1e-6, 0, kInf, false, false, Scale::Log, 1e-9,
               1e-2),
          real("step_max", "largest step size", 50, 0, kInf, true, false, Scale::Log, 1e-2, 100),
          maximize()}}};
  }
  static std::vector<std::string> state_names() { return {"prev", "step_size"}; }
  static std::vector<std::string> state_symbols() { return {"g_{t-1}", "\\eta_t"}; }
  static constexpr std::size_t kState = 2;
  static constexpr int first_moment = -1;

  struct Hyper {
    double lr = 0.01, eta_minus = 0.5, eta_plus = 1.2, step_min = 1e-6, step_max = 50;
    bool maximize = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"), s.at("eta_minus"), s.at("eta_plus"), s.at("step_min"), s.at("step_max"),
            s.at("maximize") != 0.0};
  }
  static void check(const std::string& method, const Hyper& h) {
    if (h.step_min > h.step_max)
      throw Error(method + ": step_min must be <= step_max, got " + format_number(h.step_min) +
                  " > " + format_number(h.step_max));
  }

  template <class S>
  struct Coefficients {
    GradientStage<S> gradient;  // maximize only: Rprop has no weight decay
    S eta_minus, eta_plus, step_min, step_max;
    S initial_step;  // lr on the first step (torch's step_size starts at lr), else 0
    bool first;
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, NoCarry&) {
    return {gradient_stage<S>(h.maximize, 0.0), S(h.eta_minus), S(h.eta_plus), S(h.step_min),
            S(h.step_max), S(t == 1 ? h.lr : 0.0), t == 1};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& prev = state[0];
    T& step = state[1];
    const T zero = number<T>(0.0);
    if (c.first) step = number<T>(c.initial_step);
    g = c.gradient(g, p);
    const T product = g * prev;
    const auto grew = lt(zero, product), flipped = lt(product, zero);
    const T factor = select(grew, number<T>(c.eta_plus),
                            select(flipped, number<T>(c.eta_minus), number<T>(1.0)));
    step = pmin(pmax(step * factor, number<T>(c.step_min)), number<T>(c.step_max));
    g = select(flipped, zero, g);
    p = p - sign_of(g) * step;
    prev = g;
  }

  static std::string latex(const Hyper& h) {
    std::string rule = latex::gradient(h.maximize, 0.0) + latex::kBreak;
    rule += "s_t = \\operatorname{sign}(g_t\\, g_{t-1})";
    rule += latex::kBreak;
    rule +=
        "\\eta_t = \\operatorname{clip}\\big(\\eta_{t-1} \\cdot "
        "\\{\\eta_+ \\text{ if } s_t > 0,\\ \\eta_- \\text{ if } s_t < 0,\\ 1\\},\\ "
        "\\eta_{\\min}, \\eta_{\\max}\\big)";
    rule += latex::kBreak;
    rule += "g_t = 0 \\text{ where } s_t < 0";
    rule += latex::kBreak;
    rule += "\\theta_t = \\theta_{t-1} - \\operatorname{sign}(g_t)\\, \\eta_t";
    return rule;
  }
};

}  // namespace descent::optim
