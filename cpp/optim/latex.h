// LaTeX pieces the update rules share, so the page writes every method with the
// same symbols: \eta lr, \beta_1 and \beta_2, g_t the (preprocessed) gradient,
// m_t the first and v_t the second moment, \epsilon, \lambda weight decay.
// A rule is a list of lines joined by kBreak (KaTeX `\\`).
#pragma once

#include <string>

namespace descent::optim::latex {

inline constexpr const char* kBreak = " \\\\ ";

// g_t as the step function computes it (see gradient.h).
inline std::string gradient(bool maximize, double weight_decay) {
  std::string rule =
      maximize ? "g_t = -\\nabla f(\\theta_{t-1})" : "g_t = \\nabla f(\\theta_{t-1})";
  if (weight_decay != 0.0) rule += " + \\lambda\\,\\theta_{t-1}";
  return rule;
}

// `name_t = decay name_{t-1} + (1 - decay) x`, e.g. the first moment m_t.
inline std::string moving_average(const std::string& name, const std::string& decay,
                                  const std::string& x) {
  return name + "_t = " + decay + "\\, " + name + "_{t-1} + (1-" + decay + ")\\, " + x;
}

// The denominator of an adaptive step: `\sqrt{x} + \epsilon`, or with the
// epsilon under the root (Keras/TF/Optax style) `\sqrt{x + \epsilon}`.
inline std::string root_plus_eps(const std::string& x, bool eps_inside_root) {
  return eps_inside_root ? "\\sqrt{" + x + " + \\epsilon}" : "\\sqrt{" + x + "} + \\epsilon";
}

// The parameter before the step, decayed when weight decay is decoupled
// (AdamW, Lion): `(1-\eta\lambda)\,\theta_{t-1}`.
inline std::string decayed_theta(double decoupled_weight_decay) {
  return decoupled_weight_decay != 0.0 ? "(1-\\eta\\lambda)\\,\\theta_{t-1}" : "\\theta_{t-1}";
}

// The symbol a state buffer (its registry name) has in the rules above; the
// name as text for one without.
inline std::string state_symbol(const std::string& name) {
  if (name == "momentum_buffer") return "b_t";
  if (name == "sum") return "G_t";
  if (name == "square_avg" || name == "exp_avg_sq") return "v_t";
  if (name == "grad_avg") return "\\bar{g}_t";
  if (name == "exp_avg") return "m_t";
  if (name == "max_exp_avg_sq") return "v^{\\max}_t";
  if (name == "exp_inf" || name == "acc_delta") return "u_t";
  std::string text = "\\text{";
  for (char c : name) text += c == '_' ? std::string("\\_") : std::string(1, c);
  return text + "}";
}

}  // namespace descent::optim::latex
