#include "optim/registry.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/error.h"
#include "common/spec_text.h"
#include "optim/methods.h"
#include "optim/registry_builder.h"
#include "optim/schedule.h"

namespace descent::optim {

ParamInfo real(std::string key, std::string meaning, double def, double min, double max,
               bool min_open, bool max_open, Scale scale, double ui_min, double ui_max) {
  return {std::move(key), std::move(meaning), def, min, max, min_open, max_open,
          scale, ui_min, ui_max};
}
ParamInfo flag(std::string key, std::string meaning, bool def) {
  return {std::move(key), std::move(meaning), def ? 1.0 : 0.0, 0, 1, false, false,
          Scale::Bool, 0, 1};
}
ParamInfo with_default(ParamInfo p, double def) {
  p.default_value = def;
  return p;
}
ParamInfo with_meaning(ParamInfo p, std::string meaning) {
  p.meaning = std::move(meaning);
  return p;
}
ParamInfo lr(double def) {
  return real("lr", "learning rate: how far each step moves", def, 0, kInf, true, false,
              Scale::Log, 1e-5, 10);
}
ParamInfo eps(double def) {
  return real("eps", "added to the denominator so it is never zero", def, 0, kInf, false, false,
              Scale::Log, 1e-12, 1);
}
ParamInfo weight_decay(double def) {
  return real("weight_decay", "L2 penalty: adds weight_decay * p to the gradient", def, 0, kInf,
              false, false, Scale::Linear, 0, 0.5);
}
ParamInfo maximize() { return flag("maximize", "ascend instead of descend (negates the gradient)"); }
// Torch checks 0 <= beta < 1 (beta = 1 would divide by 1 - beta^t = 0).
ParamInfo beta1(double def) {
  return real("beta1", "decay of the moving average of gradients (first moment)", def, 0, 1, false,
              true, Scale::Linear, 0, 0.999);
}
ParamInfo beta2(double def) {
  return real("beta2", "decay of the moving average of squared gradients (second moment)", def, 0,
              1, false, true, Scale::Linear, 0, 0.9999);
}
ParamInfo eps_inside_root() {
  return flag("eps_inside_root",
              "variant: sqrt(v + eps) instead of sqrt(v) + eps (Keras, TensorFlow, Optax style)");
}
ParamInfo amsgrad() {
  return flag("amsgrad", "AMSGrad: divide by the largest second moment so far (Reddi et al. 2018)");
}
ParamInfo bias_correction(bool def) {
  return flag("bias_correction",
              "divide m and v by 1 - beta^t, undoing their start at zero (off: the uncorrected "
              "form, with larger first steps)",
              def);
}
ParamInfo decoupled_weight_decay(double def) {
  return real("weight_decay", "decoupled weight decay: p *= 1 - lr * weight_decay before the step",
              def, 0, kInf, false, false, Scale::Linear, 0, 0.5);
}

namespace {

std::vector<OptimizerInfo> build_registry() {
  RegistryBuilder builder;
  Methods::each([&]<class M>() { builder.add_update_method<M>(); });
  return std::move(builder).finish();
}

bool in_range(const ParamInfo& p, double v) {
  if (!std::isfinite(v)) return false;
  if (p.scale == Scale::Bool) return v == 0.0 || v == 1.0;
  bool above = p.min_open ? v > p.min : v >= p.min;
  bool below = p.max_open ? v < p.max : v <= p.max;
  return above && below;
}

std::string range_text(const ParamInfo& p) {
  if (p.scale == Scale::Bool) return "must be true or false (1 or 0)";
  if (p.max == kInf) return std::string("must be ") + (p.min_open ? "> " : ">= ") + format_number(p.min);
  return std::string("must be in ") + (p.min_open ? "(" : "[") + format_number(p.min) + ", " +
         format_number(p.max) + (p.max_open ? ")" : "]");
}

const ParamInfo& find_param(const OptimizerInfo& info, const std::string& key) {
  return find_by(info.params, &ParamInfo::key, key, "hyperparameter", info.id + ": ");
}

}  // namespace

void check_param(const OptimizerInfo& info, const std::string& key, double value) {
  const ParamInfo& p = find_param(info, key);
  if (!in_range(p, value))
    throw Error(info.id + ": " + key + " " + range_text(p) + ", got " + format_number(value));
}

const std::vector<OptimizerInfo>& registry() {
  static const std::vector<OptimizerInfo> list = build_registry();
  return list;
}

const OptimizerInfo& find_optimizer(std::string_view id) {
  return find_by(registry(), &OptimizerInfo::id, id, "optimizer");
}

Settings complete_settings(const OptimizerInfo& info, const Settings& overrides) {
  Settings settings;
  for (const auto& p : info.params) settings[p.key] = p.default_value;
  for (const auto& [key, value] : overrides) {
    check_param(info, key, value);
    settings[key] = value;
  }
  info.make(settings, 0);  // runs the method's cross-field checks
  return settings;
}

std::unique_ptr<Optimizer> make_optimizer(std::string_view id, const Settings& overrides,
                                          std::size_t dimension) {
  const OptimizerInfo& info = find_optimizer(id);
  return info.make(complete_settings(info, overrides), dimension);
}

namespace {

double parse_value(const OptimizerInfo& info, const ParamInfo& p, std::string_view text) {
  std::string s(text);
  if (p.scale == Scale::Bool) {
    if (s == "true" || s == "1") return 1.0;
    if (s == "false" || s == "0") return 0.0;
    throw Error(info.id + ": " + p.key + " expects true or false, got '" + s + "'");
  }
  const auto v = parse_number(s);
  if (!v) throw Error(info.id + ": " + p.key + " expects a number, got '" + s + "'");
  return *v;
}

}  // namespace

OptimizerSpec parse_spec(std::string_view text) {
  OptimizerSpec spec;
  spec.label = std::string(text);
  const auto at = text.find('@');
  const std::string_view schedule = at == std::string_view::npos ? "" : text.substr(at + 1);
  text = text.substr(0, at);
  auto colon = text.find(':');
  spec.id = std::string(text.substr(0, colon));
  if (spec.id.empty()) throw Error("optimizer spec '" + spec.label + "' has no optimizer id");
  const OptimizerInfo& info = find_optimizer(spec.id);
  if (colon != std::string_view::npos)
    for_each_setting(text.substr(colon + 1), info.id,
                     [&](std::string_view key, std::string_view value) {
                       const ParamInfo& p = find_param(info, std::string(key));
                       spec.settings[p.key] = parse_value(info, p, value);
                     });
  complete_settings(info, spec.settings);  // validates ranges and cross-field rules
  if (at != std::string_view::npos)
    spec.schedule = std::make_shared<const ScheduleSpec>(parse_schedule(schedule, info));
  return spec;
}

}  // namespace descent::optim
