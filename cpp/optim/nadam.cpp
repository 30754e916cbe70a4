#include "optim/nadam.h"

#include <cmath>

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

namespace {
double momentum_schedule(const NadamHyper& h, double t) {
  return h.beta1 * (1.0 - 0.5 * std::pow(0.96, t * h.momentum_decay));
}
}  // namespace

NadamStepScalars nadam_step_scalars(const NadamHyper& h, long t, double& mu_product) {
  const double td = static_cast<double>(t);
  const double mu = momentum_schedule(h, td);
  const double mu_next = momentum_schedule(h, td + 1.0);
  mu_product *= mu;
  const double mu_product_next = mu_product * mu_next;
  return {h.lr * (1.0 - mu) / (1.0 - mu_product), h.lr * mu_next / (1.0 - mu_product_next),
          1.0 - std::pow(h.beta2, td)};
}

void nadam_step(const NadamHyper& h, NadamState& s, std::span<double> p,
                std::span<const double> grads) {
  ++s.t;
  const auto [grad_step, momentum_step, bc2] = nadam_step_scalars(h, s.t, s.mu_product);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, h.weight_decay);
    double& m = s.exp_avg[i];
    double& v = s.exp_avg_sq[i];
    m = h.beta1 * m + (1.0 - h.beta1) * g;
    v = h.beta2 * v + (1.0 - h.beta2) * g * g;
    const double denom = std::sqrt(v / bc2) + h.eps;
    p[i] -= grad_step * (g / denom);
    p[i] -= momentum_step * (m / denom);
  }
}

NadamHyper NadamMethod::hyper(const Settings& s) {
  NadamHyper h;
  h.lr = s.at("lr");
  h.beta1 = s.at("beta1");
  h.beta2 = s.at("beta2");
  h.eps = s.at("eps");
  h.weight_decay = s.at("weight_decay");
  h.momentum_decay = s.at("momentum_decay");
  h.maximize = s.at("maximize") != 0.0;
  return h;
}

std::string NadamMethod::latex(const NadamHyper& h) {
  using latex::kBreak;
  std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
  rule += "\\mu_t = \\beta_1\\big(1 - \\tfrac{1}{2}\\, 0.96^{t\\psi}\\big)" + std::string(kBreak);
  rule += latex::moving_average("m", "\\beta_1", "g_t") + kBreak;
  rule += latex::moving_average("v", "\\beta_2", "g_t^2") + kBreak;
  rule += "\\hat{v}_t = \\frac{v_t}{1-\\beta_2^t}" + std::string(kBreak);
  const std::string denom = latex::root_plus_eps("\\hat{v}_t", false);
  rule +=
      "\\theta_t = \\theta_{t-1} - \\eta\\, \\frac{1-\\mu_t}{1-\\prod_{i=1}^{t}\\mu_i}\\, "
      "\\frac{g_t}{" +
      denom + "} - \\eta\\, \\frac{\\mu_{t+1}}{1-\\prod_{i=1}^{t+1}\\mu_i}\\, \\frac{m_t}{" +
      denom + "}";
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_nadam(RegistryBuilder& builder) {
  const ParamInfo momentum_decay =
      real("momentum_decay", "how fast the momentum schedule mu_t rises toward beta1", 4e-3, 0,
           kInf, false, false, Scale::Linear, 0, 0.1);
  builder.add<NadamMethod>(
      "nadam", "NAdam",
      "Adam with Nesterov momentum and a rising momentum schedule, torch.optim.NAdam (Dozat 2016)",
      {lr(2e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(), momentum_decay, maximize()},
      {"exp_avg", "exp_avg_sq"});
}

}  // namespace descent::optim
