#include "optim/sgd.h"

#include "common/error.h"
#include "optim/gradient.h"
#include "optim/latex.h"

namespace descent::optim {

void sgd_step(const SgdHyper& h, SgdState& s, std::span<double> p, std::span<const double> grads) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double g = preprocess_gradient(grads[i], p[i], h.maximize, h.weight_decay);
    double d = g;
    if (h.moving_average) {
      s.momentum_buffer[i] = h.momentum * s.momentum_buffer[i] + (1.0 - h.momentum) * g;
      d = s.momentum_buffer[i];
    } else if (h.momentum != 0.0) {
      double& b = s.momentum_buffer[i];
      b = s.t == 0 ? g : h.momentum * b + (1.0 - h.dampening) * g;
      d = h.nesterov ? g + h.momentum * b : b;
    }
    p[i] -= h.lr * d;
  }
  ++s.t;
}

SgdHyper SgdMethod::hyper(const Settings& s) {
  SgdHyper h;
  h.lr = s.at("lr");
  h.momentum = s.at("momentum");
  h.dampening = s.at("dampening");
  h.weight_decay = s.at("weight_decay");
  h.nesterov = s.at("nesterov") != 0.0;
  h.maximize = s.at("maximize") != 0.0;
  h.moving_average = s.at("moving_average") != 0.0;
  return h;
}

void SgdMethod::check(const std::string& id, const SgdHyper& h) {
  if (h.nesterov && (h.momentum <= 0.0 || h.dampening != 0.0))
    throw Error(id + ": nesterov requires momentum > 0 and dampening = 0");
  if (h.nesterov && h.moving_average)
    throw Error(id + ": nesterov and moving_average cannot be combined");
}

std::string SgdMethod::latex(const SgdHyper& h) {
  std::string rule = latex::gradient(h.maximize, h.weight_decay) + latex::kBreak;
  if (h.moving_average) {
    rule += "b_t = \\mu\\, b_{t-1} + (1-\\mu)\\, g_t,\\quad b_0 = 0 \\\\ "
            "\\theta_t = \\theta_{t-1} - \\eta\\, b_t";
  } else if (h.momentum != 0.0) {
    rule += "b_1 = g_1,\\quad b_t = \\mu\\, b_{t-1} + (1-\\tau)\\, g_t \\\\ ";
    rule += h.nesterov ? "\\theta_t = \\theta_{t-1} - \\eta\\,(g_t + \\mu\\, b_t)"
                       : "\\theta_t = \\theta_{t-1} - \\eta\\, b_t";
  } else {
    rule += "\\theta_t = \\theta_{t-1} - \\eta\\, g_t";
  }
  return rule;
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_sgd(RegistryBuilder& builder) {
  const ParamInfo momentum = real("momentum", "heavy-ball momentum factor (0 = plain SGD)", 0.0, 0,
                                  1, false, true, Scale::Linear, 0, 0.99);
  const ParamInfo dampening = real("dampening", "scales the new gradient by (1 - dampening)", 0.0,
                                   0, 1, false, false, Scale::Linear, 0, 1);
  const ParamInfo nesterov =
      flag("nesterov", "look-ahead gradient (needs momentum > 0 and dampening 0)");
  const ParamInfo moving_average = flag(
      "moving_average", "variant: b = momentum*b + (1-momentum)*g with b0 = 0 (lecture-note form)");
  const std::vector<std::string> state = {"momentum_buffer"};

  builder.add<SgdMethod>("sgd", "SGD", "plain gradient descent, torch.optim.SGD",
                         {lr(1e-3), momentum, dampening, weight_decay(), nesterov, maximize(),
                          moving_average},
                         state);
  builder.add<SgdMethod>("momentum", "Momentum",
                         "heavy-ball momentum, torch.optim.SGD(momentum=0.9) (Polyak 1964)",
                         {lr(1e-3), with_default(momentum, 0.9), dampening, weight_decay(),
                          nesterov, maximize(), moving_average},
                         state);
  builder.add<SgdMethod>("momentum_ema", "Momentum (moving average)",
                         "variant: momentum as a moving average of gradients; equals heavy ball "
                         "with lr*(1-momentum)",
                         {lr(1e-2), with_default(momentum, 0.9), dampening, weight_decay(),
                          nesterov, maximize(), with_default(moving_average, 1.0)},
                         state);
}

}  // namespace descent::optim
