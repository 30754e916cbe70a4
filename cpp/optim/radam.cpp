#include "optim/radam.h"

#include <cmath>

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

RadamStepScalars radam_step_scalars(const RadamHyper& h, long t) {
  const double td = static_cast<double>(t);
  const double bc1 = 1.0 - std::pow(h.beta1, td);
  const double bc2 = 1.0 - std::pow(h.beta2, td);
  // Length of the approximated simple moving average, and its limit.
  const double rho_inf = 2.0 / (1.0 - h.beta2) - 1.0;
  const double rho_t = rho_inf - 2.0 * td * std::pow(h.beta2, td) / bc2;
  const bool rectified = rho_t > 5.0;
  const double rect = rectified ? std::sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf /
                                            ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                                : 0.0;
  return {bc1, bc2, rectified, rect};
}

void radam_step(const RadamHyper& h, RadamState& s, std::span<double> p,
                std::span<const double> grads) {
  ++s.t;
  const auto [bc1, bc2, rectified, rect] = radam_step_scalars(h, s.t);
  const double bc2_sqrt = std::sqrt(bc2);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, h.weight_decay);
    double& m = s.exp_avg[i];
    double& v = s.exp_avg_sq[i];
    m = h.beta1 * m + (1.0 - h.beta1) * g;
    v = h.beta2 * v + (1.0 - h.beta2) * g * g;
    const double m_hat = m / bc1;
    if (rectified) {
      const double adaptive_lr = bc2_sqrt / (std::sqrt(v) + h.eps);
      p[i] -= m_hat * h.lr * adaptive_lr * rect;
    } else {
      p[i] -= m_hat * h.lr;
    }
  }
}

RadamHyper RadamMethod::hyper(const Settings& s) {
  RadamHyper h;
  h.lr = s.at("lr");
  h.beta1 = s.at("beta1");
  h.beta2 = s.at("beta2");
  h.eps = s.at("eps");
  h.weight_decay = s.at("weight_decay");
  h.maximize = s.at("maximize") != 0.0;
  return h;
}

std::string RadamMethod::latex(const RadamHyper& h) {
  using latex::kBreak;
  std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
  rule += latex::moving_average("m", "\\beta_1", "g_t") + kBreak;
  rule += latex::moving_average("v", "\\beta_2", "g_t^2") + kBreak;
  rule +=
      "\\hat{m}_t = \\frac{m_t}{1-\\beta_1^t},\\quad "
      "\\rho_\\infty = \\frac{2}{1-\\beta_2} - 1,\\quad "
      "\\rho_t = \\rho_\\infty - \\frac{2t\\,\\beta_2^t}{1-\\beta_2^t}" +
      std::string(kBreak);
  rule +=
      "\\text{if } \\rho_t > 5:\\ r_t = \\sqrt{\\frac{(\\rho_t-4)(\\rho_t-2)\\,\\rho_\\infty}"
      "{(\\rho_\\infty-4)(\\rho_\\infty-2)\\,\\rho_t}},\\quad "
      "\\theta_t = \\theta_{t-1} - \\eta\\, \\hat{m}_t\\, r_t\\, \\frac{\\sqrt{1-\\beta_2^t}}{" +
      latex::root_plus_eps("v_t", false) + "}" + kBreak;
  rule += "\\text{else: } \\theta_t = \\theta_{t-1} - \\eta\\, \\hat{m}_t";
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_radam(RegistryBuilder& builder) {
  builder.add<RadamMethod>(
      "radam", "RAdam",
      "Adam with a rectified (warm-up free) adaptive step, torch.optim.RAdam (Liu et al. 2020)",
      {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), maximize()},
      {"exp_avg", "exp_avg_sq"});
}

}  // namespace descent::optim
