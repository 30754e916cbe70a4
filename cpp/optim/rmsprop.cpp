#include "optim/rmsprop.h"

#include <cmath>

#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

void rmsprop_step(const RmspropHyper& h, RmspropState& s, std::span<double> p,
                  std::span<const double> grads) {
  ++s.t;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, h.weight_decay);
    double& v = s.square_avg[i];
    v = h.alpha * v + (1.0 - h.alpha) * g * g;
    double mean_square = v;
    if (h.centered) {
      double& gbar = s.grad_avg[i];
      gbar = h.alpha * gbar + (1.0 - h.alpha) * g;
      mean_square = v - gbar * gbar;
    }
    const double denom =
        h.eps_inside_root ? std::sqrt(mean_square + h.eps) : std::sqrt(mean_square) + h.eps;
    if (h.momentum > 0.0) {
      double& b = s.momentum_buffer[i];
      b = h.momentum * b + g / denom;
      p[i] -= h.lr * b;
    } else {
      p[i] -= h.lr * (g / denom);
    }
  }
}

RmspropHyper RmspropMethod::hyper(const Settings& s) {
  RmspropHyper h;
  h.lr = s.at("lr");
  h.alpha = s.at("alpha");
  h.eps = s.at("eps");
  h.weight_decay = s.at("weight_decay");
  h.momentum = s.at("momentum");
  h.centered = s.at("centered") != 0.0;
  h.maximize = s.at("maximize") != 0.0;
  h.eps_inside_root = s.at("eps_inside_root") != 0.0;
  return h;
}

std::string RmspropMethod::latex(const RmspropHyper& h) {
  std::string rule = latex::gradient(h.maximize, h.weight_decay) + latex::kBreak;
  rule += latex::moving_average("v", "\\alpha", "g_t^2") + latex::kBreak;
  std::string mean_square = "v_t";
  if (h.centered) {
    rule += latex::moving_average("\\bar{g}", "\\alpha", "g_t") + latex::kBreak;
    mean_square = "v_t - \\bar{g}_t^2";
  }
  const std::string scaled =
      "\\frac{g_t}{" + latex::root_plus_eps(mean_square, h.eps_inside_root) + "}";
  if (h.momentum > 0.0) {
    rule += "b_t = \\mu\\, b_{t-1} + " + scaled + ",\\quad b_0 = 0" + latex::kBreak +
            "\\theta_t = \\theta_{t-1} - \\eta\\, b_t";
  } else {
    rule += "\\theta_t = \\theta_{t-1} - \\eta\\, " + scaled;
  }
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_rmsprop(RegistryBuilder& builder) {
  const ParamInfo alpha = real("alpha", "decay of the moving average of squared gradients", 0.99, 0,
                               1, false, false, Scale::Linear, 0, 0.999);
  const ParamInfo momentum = real("momentum", "momentum on the scaled step (0 = none)", 0.0, 0, 1,
                                  false, true, Scale::Linear, 0, 0.99);
  const ParamInfo centered =
      flag("centered", "divide by the root of the gradient's variance, not its mean square");
  const std::vector<std::string> state = {"square_avg", "grad_avg", "momentum_buffer"};

  builder.add<RmspropMethod>(
      "rmsprop", "RMSProp",
      "steps scaled by a moving root mean square of gradients, torch.optim.RMSprop (Hinton 2012)",
      {lr(1e-2), alpha, eps(1e-8), weight_decay(), momentum, centered, maximize(),
       eps_inside_root()},
      state);
  builder.add<RmspropMethod>("rmsprop_hinton", "RMSProp (decay 0.9)",
                             "variant: RMSProp with decay 0.9, as in Hinton's lecture and Keras",
                             {lr(1e-2), with_default(alpha, 0.9), eps(1e-8), weight_decay(),
                              momentum, centered, maximize(), eps_inside_root()},
                             state);
}

}  // namespace descent::optim
