#include "optim/adamax.h"

#include <algorithm>
#include <cmath>

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

double adamax_step_size(const AdamaxHyper& h, long t) {
  return h.lr / (1.0 - std::pow(h.beta1, static_cast<double>(t)));
}

void adamax_step(const AdamaxHyper& h, AdamaxState& s, std::span<double> p,
                 std::span<const double> grads) {
  ++s.t;
  const double clr = adamax_step_size(h, s.t);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, h.weight_decay);
    double& m = s.exp_avg[i];
    double& u = s.exp_inf[i];
    m = h.beta1 * m + (1.0 - h.beta1) * g;
    u = std::max(h.beta2 * u, std::abs(g) + h.eps);
    p[i] -= clr * (m / u);
  }
}

AdamaxHyper AdamaxMethod::hyper(const Settings& s) {
  AdamaxHyper h;
  h.lr = s.at("lr");
  h.beta1 = s.at("beta1");
  h.beta2 = s.at("beta2");
  h.eps = s.at("eps");
  h.weight_decay = s.at("weight_decay");
  h.maximize = s.at("maximize") != 0.0;
  return h;
}

std::string AdamaxMethod::latex(const AdamaxHyper& h) {
  using latex::kBreak;
  std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
  rule += latex::moving_average("m", "\\beta_1", "g_t") + kBreak;
  rule += "u_t = \\max(\\beta_2\\, u_{t-1},\\, |g_t| + \\epsilon)" + std::string(kBreak);
  rule += "\\theta_t = \\theta_{t-1} - \\frac{\\eta}{1-\\beta_1^t}\\, \\frac{m_t}{u_t}";
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_adamax(RegistryBuilder& builder) {
  builder.add<AdamaxMethod>(
      "adamax", "Adamax",
      "Adam with a decayed running maximum of |g| in place of the root mean square, "
      "torch.optim.Adamax (Kingma & Ba 2015)",
      {lr(2e-3), beta1(0.9), with_meaning(beta2(0.999), "decay of the running maximum of |g|"),
       eps(1e-8), weight_decay(), maximize()},
      {"exp_avg", "exp_inf"});
}

}  // namespace descent::optim
