// Wraps one method's plain pieces (hyper struct, state struct, step function)
// into the type-erased Optimizer the registry hands out.
//
// A method is described by a traits struct M with:
//   using Hyper = ...; using State = ...;         // State has a `long t` step count
//   static Hyper hyper(const Settings&);          // complete settings -> struct
//   static void check(const std::string& id, const Hyper&);  // cross-field rules
//   static State init(std::size_t dimension);
//   static void step(const Hyper&, State&, std::span<double>, std::span<const double>);
//   static std::vector<std::span<const double>> buffers(const State&);
//   static std::string latex(const Hyper&);
//   static constexpr int first_moment;            // index into buffers() of the momentum /
//                                                 // first moment (the page's momentum arrow), or -1
#pragma once

#include <cmath>
#include <string>
#include <utility>

#include "common/error.h"
#include "optim/optimizer.h"

namespace descent::optim {

// Checks a key/value against the registry's ranges; defined in registry.cpp.
struct OptimizerInfo;
void check_param(const OptimizerInfo& info, const std::string& key, double value);

// What a schedule sets in a method's hyperparameter struct before a step:
// lr, and momentum (SGD, RMSProp) or else beta1 (the Adam family, Lion) where
// `momentum` is not NaN; the schedule chose the key from the registry entry
// the same way (schedule.cpp, check_stage). The session's optimizers and the
// batch engine's per-step scalars both go through here.
template <class H>
void set_scheduled_hyper(H& h, double lr, double momentum) {
  h.lr = lr;
  if (std::isnan(momentum)) return;
  if constexpr (requires { h.momentum = momentum; }) h.momentum = momentum;
  else if constexpr (requires { h.beta1 = momentum; }) h.beta1 = momentum;
}

template <class M>
class MethodOptimizer final : public Optimizer {
 public:
  MethodOptimizer(const OptimizerInfo& info, std::string id, Settings settings,
                  std::size_t dimension)
      : info_(info),
        id_(std::move(id)),
        settings_(std::move(settings)),
        hyper_(M::hyper(settings_)),
        dimension_(dimension),
        state_(M::init(dimension)) {
    M::check(id_, hyper_);
  }

  const std::string& id() const override { return id_; }

  void step(std::span<double> params, std::span<const double> grads) override {
    if (params.size() != dimension_ || grads.size() != dimension_)
      throw Error(id_ + ": expected " + std::to_string(dimension_) + " parameters and gradients");
    M::step(hyper_, state_, params, grads);
  }

  void reset() override { state_ = M::init(dimension_); }

  void set(const std::string& key, double value) override {
    check_param(info_, key, value);
    Settings next = settings_;
    next[key] = value;
    auto hyper = M::hyper(next);
    M::check(id_, hyper);  // throws before anything changes
    settings_ = std::move(next);
    hyper_ = hyper;
  }

  void set_scheduled(double lr, double momentum) override {
    set_scheduled_hyper(hyper_, lr, momentum);
  }

  const Settings& settings() const override { return settings_; }
  long steps_taken() const override { return state_.t; }
  std::size_t state_count() const override { return M::buffers(state_).size(); }
  std::span<const double> state(std::size_t index) const override {
    return M::buffers(state_).at(index);
  }
  std::string update_latex() const override { return M::latex(hyper_); }

 private:
  const OptimizerInfo& info_;
  std::string id_;
  Settings settings_;
  typename M::Hyper hyper_;
  std::size_t dimension_;
  typename M::State state_;
};

}  // namespace descent::optim
