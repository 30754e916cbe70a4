#include "optim/adagrad.h"

#include <cmath>

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

double adagrad_step_size(const AdagradHyper& h, long t) {
  return h.lr / (1.0 + static_cast<double>(t - 1) * h.lr_decay);
}

void adagrad_step(const AdagradHyper& h, AdagradState& s, std::span<double> p,
                  std::span<const double> grads) {
  ++s.t;
  const double clr = adagrad_step_size(h, s.t);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, h.weight_decay);
    double& sum = s.sum[i];
    if (s.t == 1) sum = h.initial_accumulator_value;
    sum += g * g;
    const double denom = h.eps_inside_root ? std::sqrt(sum + h.eps) : std::sqrt(sum) + h.eps;
    p[i] -= clr * (g / denom);
  }
}

AdagradHyper AdagradMethod::hyper(const Settings& s) {
  AdagradHyper h;
  h.lr = s.at("lr");
  h.lr_decay = s.at("lr_decay");
  h.weight_decay = s.at("weight_decay");
  h.initial_accumulator_value = s.at("initial_accumulator_value");
  h.eps = s.at("eps");
  h.maximize = s.at("maximize") != 0.0;
  h.eps_inside_root = s.at("eps_inside_root") != 0.0;
  return h;
}

std::string AdagradMethod::latex(const AdagradHyper& h) {
  std::string rule = latex::gradient(h.maximize, h.weight_decay) + latex::kBreak;
  rule += "G_t = G_{t-1} + g_t^2,\\quad G_0 = ";
  rule += h.initial_accumulator_value != 0.0 ? "\\tau" : "0";
  rule += latex::kBreak;
  const std::string step_size = h.lr_decay != 0.0 ? "\\frac{\\eta}{1 + (t-1)\\,\\delta}" : "\\eta";
  rule += "\\theta_t = \\theta_{t-1} - " + step_size + "\\, \\frac{g_t}{" +
          latex::root_plus_eps("G_t", h.eps_inside_root) + "}";
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_adagrad(RegistryBuilder& builder) {
  const ParamInfo lr_decay = real("lr_decay", "the step size becomes lr / (1 + (t-1) * lr_decay)",
                                  0.0, 0, kInf, false, false, Scale::Linear, 0, 1);
  const ParamInfo initial_accumulator_value =
      real("initial_accumulator_value", "starting value of the sum of squared gradients", 0.0, 0,
           kInf, false, false, Scale::Linear, 0, 1);
  const std::vector<std::string> state = {"sum"};

  builder.add<AdagradMethod>(
      "adagrad", "AdaGrad",
      "per-coordinate steps shrinking with the sum of squared gradients, torch.optim.Adagrad "
      "(Duchi et al. 2011)",
      {lr(1e-2), lr_decay, weight_decay(), initial_accumulator_value, eps(1e-10), maximize(),
       eps_inside_root()},
      state);
  builder.add<AdagradMethod>(
      "adagrad_notes", "AdaGrad (eps 1e-5)",
      "variant: AdaGrad with the larger epsilon 1e-5 outside the root, as some lecture notes "
      "write it",
      {lr(1e-2), lr_decay, weight_decay(), initial_accumulator_value, eps(1e-5), maximize(),
       eps_inside_root()},
      state);
}

}  // namespace descent::optim
