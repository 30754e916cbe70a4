// Internal to cpp/optim: how each method's header contributes its registry
// entries, and the parameter descriptions several methods share.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "optim/latex.h"
#include "optim/method_optimizer.h"
#include "optim/registry.h"
#include "optim/update_method.h"

namespace descent::optim {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

ParamInfo real(std::string key, std::string meaning, double def, double min, double max,
               bool min_open, bool max_open, Scale scale, double ui_min, double ui_max);
ParamInfo flag(std::string key, std::string meaning, bool def = false);
ParamInfo with_default(ParamInfo p, double def);
ParamInfo with_meaning(ParamInfo p, std::string meaning);
ParamInfo lr(double def);
ParamInfo eps(double def);
ParamInfo weight_decay(double def = 0.0);
ParamInfo maximize();
ParamInfo beta1(double def);  // Adam family: decay of the first moment
ParamInfo beta2(double def);  // Adam family: decay of the second moment
ParamInfo eps_inside_root();
ParamInfo amsgrad();
ParamInfo bias_correction(bool def);
// `weight_decay` as AdamW and Lion use it: p *= 1 - lr * weight_decay.
ParamInfo decoupled_weight_decay(double def);

// One registry entry of a method written once: a method has one or several
// (RMSProp and its Hinton variant), told apart by these.
struct RegistryEntry {
  std::string id, name, summary;
  std::vector<ParamInfo> params;
};

class RegistryBuilder {
 public:
  // `symbols` defaults to latex::state_symbol of each name.
  template <class M>
  void add(std::string id, std::string name, std::string summary, std::vector<ParamInfo> params,
           std::vector<std::string> state, std::vector<std::string> symbols = {}) {
    if (symbols.empty())
      for (const auto& s : state) symbols.push_back(latex::state_symbol(s));
    list_.push_back(OptimizerInfo{std::move(id), std::move(name), std::move(summary),
                                  std::move(params), std::move(state), std::move(symbols),
                                  typeid(M), M::first_moment, nullptr, nullptr});
    binders_.push_back(&bind<M>);
  }

  // A method written once as an update template (update_method.h): each of
  // its entries().
  template <class M>
  void add_update_method() {
    std::vector<std::string> symbols;  // default: latex::state_symbol of each name
    if constexpr (requires { M::state_symbols(); }) symbols = M::state_symbols();
    for (auto& e : M::entries())
      add<UpdateMethod<M>>(std::move(e.id), std::move(e.name), std::move(e.summary),
                           std::move(e.params), M::state_names(), symbols);
  }

  // `make` and `latex` point back at their entry, so they are set once the
  // list has its final addresses.
  std::vector<OptimizerInfo> finish() && {
    for (std::size_t i = 0; i < list_.size(); ++i) binders_[i](list_[i]);
    return std::move(list_);
  }

 private:
  template <class M>
  static void bind(OptimizerInfo& info) {
    const OptimizerInfo* self = &info;
    info.make = [self](const Settings& settings, std::size_t dimension) {
      return std::unique_ptr<Optimizer>(
          new MethodOptimizer<M>(*self, self->id, settings, dimension));
    };
    info.latex = [](const Settings& settings) { return M::latex(M::hyper(settings)); };
  }

  std::vector<OptimizerInfo> list_;
  std::vector<void (*)(OptimizerInfo&)> binders_;
};

}  // namespace descent::optim
