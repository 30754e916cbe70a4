// Adam, PyTorch's `torch.optim.Adam` (torch/optim/adam.py, `_single_tensor_adam`).
//
//   g <- -g if maximize;  g <- g + weight_decay * p
//   m <- beta1 * m + (1 - beta1) * g
//   v <- beta2 * v + (1 - beta2) * g^2
//   amsgrad: vmax <- max(vmax, v) (the raw v), used in place of v below
//   bc1 = 1 - beta1^t,  bc2 = 1 - beta2^t
//   p <- p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
//
// so eps is added to the bias-corrected root, sqrt(v_hat) + eps. Defaults
// (torch): lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0, amsgrad
// off. Kingma & Ba 2015; AMSGrad from Reddi, Kale & Kumar 2018.
//
// Variant switches:
//   `bias_correction` off (the `adam_nobc` entry): bc1 = bc2 = 1, i.e.
//     p <- p - lr * m / (sqrt(v) + eps). The first steps are then
//     (1 - beta1^t) / sqrt(1 - beta2^t) times larger: 3.16x at t = 1,
//     about 6.57x near t = 12 with the default betas.
//   `eps_inside_root`: p <- p - (lr / bc1) * m / sqrt(v / bc2 + eps), i.e.
//     sqrt(v_hat + eps) (without bias correction sqrt(v + eps)).
// Other libraries: the paper's Algorithm 1, Keras and Optax also add eps to
// sqrt(v_hat); the paper's "more efficient" form and TensorFlow 1 fold the
// corrections into the step size, lr * sqrt(bc2) / bc1, and add eps to the
// uncorrected sqrt(v) ("epsilon hat"). Torch updates m with lerp, the same value
// up to rounding.
//
// AdamW (adamw.h) runs this same step with `decoupled_weight_decay` set.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/registry_builder.h"
#include "optim/update_method.h"

namespace descent::optim {

struct Adam {
  static constexpr const char* id = "adam";
  // Two registry entries run this rule: torch's Adam and Adam without bias correction.
  static std::vector<RegistryEntry> entries() {
    return {{"adam", "Adam",
             "momentum plus RMSProp scaling with bias correction, torch.optim.Adam (Kingma & Ba "
             "2015)",
             {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), amsgrad(),
              maximize(), bias_correction(true), eps_inside_root()}},
            {"adam_nobc", "Adam (no bias correction)",
             "variant: Adam without bias correction; its first steps are up to 6.6x larger",
             {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), amsgrad(),
              maximize(), bias_correction(false), eps_inside_root()}}};
  }
  static std::vector<std::string> state_names() {
    return {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  }
  static constexpr std::size_t kState = 3;
  static constexpr int first_moment = 0;

  struct Hyper {
    double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
    bool amsgrad = false, maximize = false, bias_correction = true, eps_inside_root = false;
    // Not a setting of its own: AdamW sets it. Decays p by (1 - lr * weight_decay)
    // before the step instead of adding weight_decay * p to the gradient.
    bool decoupled_weight_decay = false;
  };
  static Hyper hyper(const Settings& s) { return hyper(s, false); }
  // The settings every Adam-style entry shares, and the weight decay's kind.
  static Hyper hyper(const Settings& s, bool decoupled_weight_decay) {
    return {s.at("lr"),
            s.at("beta1"),
            s.at("beta2"),
            s.at("eps"),
            s.at("weight_decay"),
            s.at("amsgrad") != 0.0,
            s.at("maximize") != 0.0,
            s.at("bias_correction") != 0.0,
            s.at("eps_inside_root") != 0.0,
            decoupled_weight_decay};
  }
  template <class S>
  struct Coefficients {
    AdamMoments<S> moments;     // maximize, the L2 term unless decoupled; beta1, beta2
    S eps;
    S step_size;                // lr / bc1
    Divisor<S> v_correction;    // sqrt(bc2), or bc2 with eps inside the root
    S keep;                     // AdamW: 1 - lr * weight_decay
    bool decoupled, amsgrad, eps_inside_root;
  };
  template <class S>
  static Coefficients<S> coefficients(const Hyper& h, long t, NoCarry&) {
    const double bc1 = h.bias_correction ? optim::bias_correction(h.beta1, t) : 1.0;
    const double bc2 = h.bias_correction ? optim::bias_correction(h.beta2, t) : 1.0;
    const bool decoupled = h.decoupled_weight_decay && h.weight_decay != 0.0;
    return {adam_moments<S>(h.maximize, h.decoupled_weight_decay ? 0.0 : h.weight_decay, h.beta1,
                            h.beta2),
            S(h.eps),
            S(h.lr / bc1),
            divisor<S>(h.eps_inside_root ? bc2 : std::sqrt(bc2)),
            S(1.0 - h.lr * h.weight_decay),
            decoupled,
            h.amsgrad,
            h.eps_inside_root};
  }
  template <class T, class S>
  static void update(const Coefficients<S>& c, T& p, T g, T (&state)[kState]) {
    T& m = state[0];
    T& v = state[1];
    T& v_max = state[2];
    if (c.decoupled) p = p * c.keep;  // on the pre-step p, as torch's AdamW
    g = c.moments(p, g, m, v);
    T second_moment = v;
    if (c.amsgrad) second_moment = v_max = pmax(v_max, v);
    const T den = c.eps_inside_root ? sqrt(second_moment / c.v_correction + c.eps)
                                    : sqrt(second_moment) / c.v_correction + c.eps;
    p = p - (m / den) * c.step_size;
  }

  // The plain form (torch's default switches: no maximize, no weight decay, no
  // amsgrad, eps outside the root) is what the batch engine's fused group
  // steps run (cpp/batch/kernel_set_body.h, formula_wasm.cpp).
  template <class S>
  static bool is_plain(const Coefficients<S>& c) {
    return !c.moments.gradient.maximize && !c.moments.gradient.decay && !c.decoupled &&
           !c.amsgrad && !c.eps_inside_root;
  }
  // c with every switch off: equal to c where is_plain(c), and a compiler can
  // drop the switches' branches.
  template <class S>
  static Coefficients<S> plain(Coefficients<S> c) {
    c.moments.gradient.maximize = c.moments.gradient.decay = false;
    c.decoupled = c.amsgrad = c.eps_inside_root = false;
    return c;
  }

  static std::string latex(const Hyper& h) {
    using latex::kBreak;
    std::string rule =
        latex::gradient(h.maximize, h.decoupled_weight_decay ? 0.0 : h.weight_decay) + kBreak;
    rule += latex::moving_average("m", "\\beta_1", "g_t") + kBreak;
    rule += latex::moving_average("v", "\\beta_2", "g_t^2") + kBreak;
    std::string second_moment = "v_t";
    if (h.amsgrad) {
      rule += "v^{\\max}_t = \\max(v^{\\max}_{t-1},\\, v_t)" + std::string(kBreak);
      second_moment = "v^{\\max}_t";
    }
    std::string first_moment = "m_t";
    if (h.bias_correction) {
      rule += "\\hat{m}_t = \\frac{m_t}{1-\\beta_1^t},\\quad \\hat{v}_t = \\frac{" + second_moment +
              "}{1-\\beta_2^t}" + kBreak;
      first_moment = "\\hat{m}_t";
      second_moment = "\\hat{v}_t";
    }
    const double decoupled = h.decoupled_weight_decay ? h.weight_decay : 0.0;
    rule += "\\theta_t = " + latex::decayed_theta(decoupled) + " - \\eta\\, \\frac{" +
            first_moment + "}{" + latex::root_plus_eps(second_moment, h.eps_inside_root) + "}";
    return rule;
  }
};

}  // namespace descent::optim
