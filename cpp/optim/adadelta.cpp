#include "optim/adadelta.h"

#include <cmath>

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

void adadelta_step(const AdadeltaHyper& h, AdadeltaState& s, std::span<double> p,
                   std::span<const double> grads) {
  ++s.t;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, h.weight_decay);
    double& v = s.square_avg[i];
    double& u = s.acc_delta[i];
    v = h.rho * v + (1.0 - h.rho) * g * g;
    const double delta = std::sqrt(u + h.eps) / std::sqrt(v + h.eps) * g;
    u = h.rho * u + (1.0 - h.rho) * delta * delta;
    p[i] -= h.lr * delta;
  }
}

AdadeltaHyper AdadeltaMethod::hyper(const Settings& s) {
  AdadeltaHyper h;
  h.lr = s.at("lr");
  h.rho = s.at("rho");
  h.eps = s.at("eps");
  h.weight_decay = s.at("weight_decay");
  h.maximize = s.at("maximize") != 0.0;
  return h;
}

std::string AdadeltaMethod::latex(const AdadeltaHyper& h) {
  using latex::kBreak;
  std::string rule = latex::gradient(h.maximize, h.weight_decay) + kBreak;
  rule += latex::moving_average("v", "\\rho", "g_t^2") + kBreak;
  rule += "\\Delta_t = \\frac{" + latex::root_plus_eps("u_{t-1}", true) + "}{" +
          latex::root_plus_eps("v_t", true) + "}\\, g_t" + kBreak;
  rule += latex::moving_average("u", "\\rho", "\\Delta_t^2") + kBreak;
  rule += "\\theta_t = \\theta_{t-1} - \\eta\\, \\Delta_t";
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_adadelta(RegistryBuilder& builder) {
  const ParamInfo rho = real("rho", "decay of the moving averages of g^2 and of the squared steps",
                             0.9, 0, 1, false, false, Scale::Linear, 0, 0.999);
  builder.add<AdadeltaMethod>(
      "adadelta", "Adadelta",
      "steps in the units of the parameters, from the ratio of two moving RMS, "
      "torch.optim.Adadelta (Zeiler 2012)",
      {lr(1.0), rho, eps(1e-6), weight_decay(), maximize()}, {"square_avg", "acc_delta"});
}

}  // namespace descent::optim
