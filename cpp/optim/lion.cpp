#include "optim/lion.h"

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

namespace {
// sign with sign(0) = 0, and NaN kept so a diverged run stays visibly non-finite.
double sign(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }
}  // namespace

void lion_step(const LionHyper& h, LionState& s, std::span<double> p,
               std::span<const double> grads) {
  ++s.t;
  const double keep = 1.0 - h.lr * h.weight_decay;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = grads[i];
    double& m = s.exp_avg[i];
    if (h.weight_decay != 0.0) p[i] *= keep;
    p[i] -= h.lr * sign(h.beta1 * m + (1.0 - h.beta1) * g);
    m = h.beta2 * m + (1.0 - h.beta2) * g;
  }
}

LionHyper LionMethod::hyper(const Settings& s) {
  LionHyper h;
  h.lr = s.at("lr");
  h.beta1 = s.at("beta1");
  h.beta2 = s.at("beta2");
  h.weight_decay = s.at("weight_decay");
  return h;
}

void LionMethod::check(const std::string& id, const LionHyper& h) {
  check_decoupled_weight_decay(id, h.lr, h.weight_decay);
}

std::string LionMethod::latex(const LionHyper& h) {
  using latex::kBreak;
  std::string rule = latex::gradient(false, 0.0) + kBreak;
  rule += "c_t = \\beta_1\\, m_{t-1} + (1-\\beta_1)\\, g_t" + std::string(kBreak);
  rule += "\\theta_t = " + latex::decayed_theta(h.weight_decay) +
          " - \\eta\\, \\operatorname{sign}(c_t)" + kBreak;
  rule += latex::moving_average("m", "\\beta_2", "g_t");
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_lion(RegistryBuilder& builder) {
  const ParamInfo beta1 = real("beta1", "weight of the momentum in the update's sign", 0.9, 0, 1,
                               false, false, Scale::Linear, 0, 1);
  const ParamInfo beta2 = real("beta2", "decay of the momentum (updated after the step)", 0.99, 0,
                               1, false, false, Scale::Linear, 0, 1);
  builder.add<LionMethod>(
      "lion", "Lion",
      "sign of an interpolated momentum: every coordinate moves by lr (Chen et al. 2023)",
      {lr(1e-4), beta1, beta2, decoupled_weight_decay(0.0)}, {"exp_avg"});
}

}  // namespace descent::optim
