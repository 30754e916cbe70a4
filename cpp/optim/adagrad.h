// AdaGrad, PyTorch's `torch.optim.Adagrad` (torch/optim/adagrad.py,
// `_single_tensor_adagrad`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   clr = lr / (1 + (t - 1) * lr_decay)
//   G  <- G + g^2                       G_0 = initial_accumulator_value
//   p  <- p - clr * g / (sqrt(G) + eps)        (eps outside the root)
//
// Defaults (torch): lr 1e-2, lr_decay 0, weight_decay 0,
// initial_accumulator_value 0, eps 1e-10. Duchi, Hazan & Singer 2011.
// LaTeX symbols: \delta lr_decay, \tau initial_accumulator_value.
//
// Variants:
//   `adagrad_notes`: eps 1e-5 outside the root, as some lecture notes write it.
//   `eps_inside_root`: p <- p - clr * g / sqrt(G + eps), the form Keras and
//   Optax use (they also default to eps 1e-7 and an initial accumulator of 0.1).
//
// Torch fills G with initial_accumulator_value when the optimizer is made; here
// the state is made without the settings, so the first step seeds it. The
// trajectory is the same; before step 1 (and after reset) `sum` reads 0.
#pragma once

#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Adagrad {
  static constexpr const char* id = "adagrad";
  // Two registry entries run this rule: torch's defaults and the lecture notes' eps.
  static std::vector<RegistryEntry> entries() {
    const ParamInfo lr_decay = real("lr_decay",
                                    "the step size becomes lr / (1 + (t-1) * lr_decay)", 0.0, 0,
                                    kInf, false, false, Scale::Linear, 0, 1);
    const ParamInfo initial_accumulator_value =
        real("initial_accumulator_value", "starting value of the sum of squared gradients", 0.0,
             0, kInf, false, false, Scale::Linear, 0, 1);
    return {{"adagrad", "AdaGrad",
             "per-coordinate steps shrinking with the sum of squared gradients, "
             "torch.optim.Adagrad (Duchi et al. 2011)",
             {lr(1e-2), lr_decay, weight_decay(), initial_accumulator_value, eps(1e-10),
              maximize(), eps_inside_root()}},
            {"adagrad_notes", "AdaGrad (eps 1e-5)",
             "variant: AdaGrad with the larger epsilon 1e-5 outside the root, as some lecture "
             "notes write it",
             {lr(1e-2), lr_decay, weight_decay(), initial_accumulator_value, eps(1e-5),
              maximize(), eps_inside_root()}}};
  }
  static std::vector<std::string> state_names() { return {"sum"}; }
  static constexpr std::size_t kState = 1;
  static constexpr int first_moment = -1;

  struct Hyper {
    double lr = 1e-2, lr_decay = 0.0, weight_decay = 0.0, initial_accumulator_value = 0.0,
           eps = 1e-10;
    bool maximize = false, eps_inside_root = false;
  };
  static Hyper hyper(const Settings& s) {
    return {s.at("lr"),  s.at("lr_decay"),        s.at("weight_decay"),
            s.at("initial_accumulator_value"),     s.at("eps"),
            s.at("maximize") != 0.0,               s.at("eps_inside_root") != 0.0};
  }
  template <class S>
  struct Coefficients {
    GradientStage<S> gradient;
    S step_size;  // lr / (1 + (t - 1) lr_decay)
    S eps;
    S initial;    // G_0, seeded on the first step
    bool first, eps_inside_root;
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, NoCarry&) {
    return {gradient_stage<S>(h.maximize, h.weight_decay),
            S(h.lr / (1.0 + static_cast<double>(t - 1) * h.lr_decay)),
            S(h.eps),
            S(h.initial_accumulator_value),
            t == 1,
            h.eps_inside_root};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& sum = state[0];
    g = c.gradient(g, p);
    if (c.first) sum = number<T>(c.initial);
    sum = sum + g * g;
    const T den = c.eps_inside_root ? sqrt(sum + c.eps) : sqrt(sum) + c.eps;
    p = p - (g / den) * c.step_size;
  }

  static std::string latex(const Hyper& h) {
    std::string rule = latex::gradient(h.maximize, h.weight_decay) + latex::kBreak;
    rule += "G_t = G_{t-1} + g_t^2,\\quad G_0 = ";
    rule += h.initial_accumulator_value != 0.0 ? "\\tau" : "0";
    rule += latex::kBreak;
    const std::string step_size =
        h.lr_decay != 0.0 ? "\\frac{\\eta}{1 + (t-1)\\,\\delta}" : "\\eta";
    rule += "\\theta_t = \\theta_{t-1} - " + step_size + "\\, \\frac{g_t}{" +
            latex::root_plus_eps("G_t", h.eps_inside_root) + "}";
    return rule;
  }
};

}  // namespace descent::optim
