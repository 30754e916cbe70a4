// The interface every optimizer in Descent presents to the rest of the system.
//
// Each method lives in its own header (sgd.h, adam.h, ...) as three plain pieces,
// in the manner of Optax's init/update pairs:
//   - a hyperparameter struct (`AdamHyper`), validated once by the registry;
//   - a state struct (`AdamState`) holding the step count and per-coordinate buffers;
//   - a step function over spans: `adam_step(hyper, state, params, grads)`.
// The registry (registry.h) wraps each method in `Optimizer`, so the session, the
// CLI and the bindings can hold any of them by id without knowing its type.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace descent::optim {

// Hyperparameter values by their PyTorch key (`lr`, `beta2`, ...). Booleans
// (`amsgrad`, `nesterov`, variant switches) are stored as 0 or 1.
using Settings = std::map<std::string, double>;

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  // Registry id of the method this instance runs (`adam`, `momentum_ema`, ...).
  virtual const std::string& id() const = 0;

  // Moves `params` one step against `grads` (same length as at construction).
  virtual void step(std::span<double> params, std::span<const double> grads) = 0;

  // Zeroes the state and the step count, as a freshly made optimizer.
  virtual void reset() = 0;

  // Changes one hyperparameter for the steps that follow; state is kept.
  // Throws descent::Error (and changes nothing) if the key is unknown or the
  // value out of range.
  virtual void set(const std::string& key, double value) = 0;

  // What a learning-rate schedule (schedule.h) sets for the steps that follow,
  // as torch's scheduler writes the group's lr (and momentum or beta1, where
  // `momentum` is not NaN): no range check (a schedule may reach 0), and
  // settings() keeps the values given.
  virtual void set_scheduled(double lr, double momentum) = 0;

  // Every hyperparameter's current value, defaults included.
  virtual const Settings& settings() const = 0;

  // Number of steps taken since construction or reset (torch's `step`).
  virtual long steps_taken() const = 0;

  // Per-coordinate state buffers in the order of the registry's `state` names
  // (e.g. m then v for Adam). Views stay valid until the next step or reset.
  virtual std::size_t state_count() const = 0;
  virtual std::span<const double> state(std::size_t index) const = 0;

  // The update rule this instance runs, as LaTeX, reflecting its settings
  // (amsgrad, nesterov, variant switches).
  virtual std::string update_latex() const = 0;
};

}  // namespace descent::optim
