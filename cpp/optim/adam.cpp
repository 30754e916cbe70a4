#include "optim/adam.h"

#include <algorithm>
#include <cmath>

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

BiasCorrections adam_bias_corrections(const AdamHyper& h, long t) {
  if (!h.bias_correction) return {1.0, 1.0};
  const double td = static_cast<double>(t);
  return {1.0 - std::pow(h.beta1, td), 1.0 - std::pow(h.beta2, td)};
}

void adam_step(const AdamHyper& h, AdamState& s, std::span<double> p,
               std::span<const double> grads) {
  ++s.t;
  const auto [bc1, bc2] = adam_bias_corrections(h, s.t);
  const double step_size = h.lr / bc1;
  const double bc2_sqrt = std::sqrt(bc2);
  const double l2 = h.decoupled_weight_decay ? 0.0 : h.weight_decay;
  const double keep = 1.0 - h.lr * h.weight_decay;  // AdamW's factor on the pre-step p
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (h.decoupled_weight_decay) p[i] *= keep;
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, l2);
    double& m = s.exp_avg[i];
    double& v = s.exp_avg_sq[i];
    m = h.beta1 * m + (1.0 - h.beta1) * g;
    v = h.beta2 * v + (1.0 - h.beta2) * g * g;
    double second_moment = v;
    if (h.amsgrad) second_moment = s.max_exp_avg_sq[i] = std::max(s.max_exp_avg_sq[i], v);
    const double denom = h.eps_inside_root ? std::sqrt(second_moment / bc2 + h.eps)
                                           : std::sqrt(second_moment) / bc2_sqrt + h.eps;
    p[i] -= step_size * (m / denom);
  }
}

AdamHyper adam_hyper(const Settings& s, bool decoupled_weight_decay) {
  AdamHyper h;
  h.lr = s.at("lr");
  h.beta1 = s.at("beta1");
  h.beta2 = s.at("beta2");
  h.eps = s.at("eps");
  h.weight_decay = s.at("weight_decay");
  h.amsgrad = s.at("amsgrad") != 0.0;
  h.maximize = s.at("maximize") != 0.0;
  h.bias_correction = s.at("bias_correction") != 0.0;
  h.eps_inside_root = s.at("eps_inside_root") != 0.0;
  h.decoupled_weight_decay = decoupled_weight_decay;
  return h;
}

std::string adam_latex(const AdamHyper& h) {
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
  rule += "\\theta_t = " + latex::decayed_theta(decoupled) + " - \\eta\\, \\frac{" + first_moment +
          "}{" + latex::root_plus_eps(second_moment, h.eps_inside_root) + "}";
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_adam(RegistryBuilder& builder) {
  const std::vector<std::string> state = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  builder.add<AdamMethod>(
      "adam", "Adam",
      "momentum plus RMSProp scaling with bias correction, torch.optim.Adam (Kingma & Ba 2015)",
      {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), amsgrad(), maximize(),
       bias_correction(true), eps_inside_root()},
      state);
  builder.add<AdamMethod>(
      "adam_nobc", "Adam (no bias correction)",
      "variant: Adam without bias correction; its first steps are up to 6.6x larger",
      {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), amsgrad(), maximize(),
       bias_correction(false), eps_inside_root()},
      state);
}

}  // namespace descent::optim
