// A registry optimizer as the batch engine runs it: which family (families.h:
// its step kernel and per-step scalars), how many state buffers, and each
// step's scalars. The hyperparameters come from the registry's complete
// Settings through each method's own `hyper()` (cpp/optim/), so the registry
// stays the one list; the family is found by the traits type the registry
// records for the entry, not by a second list of ids.
#pragma once

#include <functional>
#include <string>

#include "batch/kernels.h"
#include "optim/registry.h"

namespace descent::batch {

class BatchOptimizer {
 public:
  // Throws descent::Error for an invalid spec, or a method without a kernel.
  explicit BatchOptimizer(const optim::OptimizerSpec& spec);

  const std::string& id() const { return id_; }
  const std::string& label() const { return label_; }
  const optim::Settings& settings() const { return settings_; }
  std::size_t family() const { return family_; }  // index into Families
  std::size_t state_count() const { return state_count_; }
  long steps_taken() const { return t_; }

  // The scalars of the next step (advances the step count); `masked` adds kMasked.
  StepScalars next_step(bool masked);
  void reset();

 private:
  std::string id_, label_;
  optim::Settings settings_;
  std::size_t family_ = 0;
  std::size_t state_count_;
  long t_ = 0;
  // Makes a fresh schedule: the scalars for step t, keeping the family's carry
  // (NAdam's mu_product) from step to step.
  std::function<std::function<StepScalars(long t)>()> make_schedule_;
  std::function<StepScalars(long t)> schedule_;
};

}  // namespace descent::batch
